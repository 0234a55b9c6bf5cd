/** CSV (or TSV) files, comma, semicolon or tab separated, in UTF-8 or GB18030. */
import { parse } from 'csv-parse/sync';
import type { SourceCell } from '#domain';

export function csvToGrid(text: string): SourceCell[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0 || text.length);
  const delimiter = [',', '\t', ';', '，'].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  );
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
  }) as string[][];
  return records.map((record, r) => record.map((text, c) => ({ text, row: r + 1, column: c + 1 })));
}
