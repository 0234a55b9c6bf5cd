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
