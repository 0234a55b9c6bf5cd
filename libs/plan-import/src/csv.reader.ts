/** CSV (or TSV) files, comma, semicolon or tab separated, in UTF-8 or GB18030. */
import { parse } from 'csv-parse/sync';
import type { SourceCell } from '#domain';

/** The grid of a CSV/TSV text; `delimiter` when the caller knows it, else guessed from the first lines. */
export function csvToGrid(text: string, delimiter?: string): SourceCell[][] {
  // The separator that splits the first lines into the same number of cells most consistently
  // (a title line may come first, and "2,000" must not make a comma look like a separator).
  const head = text.split('\n', 8).filter((line) => line.trim());
  const score = (d: string) => {
    const counts = head.map((line) => line.split(d).length).filter((n) => n > 1);
    const mode = Math.max(0, ...counts.map((n) => counts.filter((m) => m === n).length * n));
    return mode;
  };
  const records = parse(text, {
    delimiter: delimiter ?? [',', '\t', ';', '，'].reduce((best, d) => (score(d) > score(best) ? d : best), ','),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
  }) as string[][];
  return records.map((record, r) => record.map((cell, c) => ({ text: cell, row: r + 1, column: c + 1 })));
}
