/** docs/benchmarks.md keeps one section per bench script, each replaced by its latest run. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../dev/processes.js';

const FILE = join(REPO_ROOT, 'docs', 'benchmarks.md');
const HEAD = '# Benchmarks\n\nWritten by the `npm run bench:*` scripts; each section is replaced by its latest run.\n';

export async function writeBenchmarkSection(name: string, body: string): Promise<void> {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${begin}\n## bench:${name}\n\n${body}\n${end}`;
  let text = await readFile(FILE, 'utf8').catch(() => HEAD);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  text =
    start >= 0 && stop > start
      ? text.slice(0, start) + section + text.slice(stop + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await mkdir(dirname(FILE), { recursive: true });
  await writeFile(FILE, text);
}

/**
 * A section of the usual shape: when and where it was measured (with the
 * machine's core count), what the run did, and a table of what / result /
 * goal; the rows are also printed.
 */
export async function writeBenchmarkTable(name: string, setting: string[], rows: string[][]): Promise<void> {
  const { cpus } = await import('node:os');
  await writeBenchmarkSection(
    name,
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores): ${setting[0] ?? ''}`,
      ...setting.slice(1),
      '',
      '| what | result | goal |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n'),
  );
  for (const r of rows) process.stdout.write(`${r[0]}: ${r[1]} (goal ${r[2]})\n`);
}
