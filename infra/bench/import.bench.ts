/**
 * npm run bench:import — the import quality bars of docs/architecture.md, measured on
 * this machine against real PostgreSQL (a fresh `duban_bench` database):
 * the seed (128 tasks) in < 100 ms, 10,000 rows in < 10 s, parse and store.
 * Results go to docs/benchmarks.md.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '#config';
import { interpretPlanTable, textToCells } from '#domain';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { sayToStderr as say } from '../dev/component.js';
import { providePostgres } from '../dev/postgres.js';
import { SEED_PLAN_FILE } from '../dev/seed-plan.js';
import { writeBenchmarkTable } from './benchmarks-file.js';
import { syntheticCsv } from './synthetic-plan.js';

const config = loadConfig();
const postgres = await providePostgres(config, { database: 'duban', suffix: '_bench', fresh: true }, say);
const dataSource = createDataSource(postgres.url, 'duban-bench');
await dataSource.initialize();
const repository = new PlanRepository(dataSource);
const seed = await readFile(SEED_PLAN_FILE);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

// The first runs compile the code (JIT); a running API imports warm. Both are reported.
const [coldParseMs] = await timed(() => interpretPlanTable(textToCells(seed.toString('utf8'))));
for (let i = 0; i < 30; i += 1) interpretPlanTable(textToCells(seed.toString('utf8')));
const parseRuns: number[] = [];
for (let i = 0; i < 7; i += 1)
  parseRuns.push((await timed(() => interpretPlanTable(textToCells(seed.toString('utf8')))))[0]);
const [coldImportMs] = await timed(() =>
  importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName: 'bench-seed-cold', acceptWarnings: true }),
);
const seedRuns: number[] = [];
for (let i = 0; i < 7; i += 1) {
  const [ms] = await timed(() =>
    importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName: `bench-seed-${i}`, acceptWarnings: true }),
  );
  seedRuns.push(ms);
  say(`seed import ${i + 1}/7: ${ms.toFixed(1)} ms`);
}
const [reimportMs] = await timed(() =>
  importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName: 'bench-seed-0', acceptWarnings: true }),
);
const big = syntheticCsv(10_000);
const [bigMs, bigResult] = await timed(() =>
  importPlan(repository, {
    bytes: big,
    fileName: 'synthetic.csv',
    planName: 'bench-10000',
    quarter: '2020Q3',
    acceptWarnings: true,
  }),
);
say(`10,000 rows: ${bigMs.toFixed(0)} ms (${bigResult.stored!.tasks.created} tasks stored)`);
await dataSource.destroy();
await postgres.stop();

const rows = [
  ['seed: parse only, warm after 30 runs (128 tasks, median of 7)', `${median(parseRuns).toFixed(1)} ms`, '—'],
  ['seed: parse only, first run in the process (cold JIT)', `${coldParseMs.toFixed(1)} ms`, '—'],
  ['seed: parse + store in PostgreSQL, warm (median of 7)', `${median(seedRuns).toFixed(1)} ms`, '< 100 ms'],
  ['seed: parse + store, first import in the process', `${coldImportMs.toFixed(1)} ms`, '—'],
  ['seed: re-import, nothing changed', `${reimportMs.toFixed(1)} ms`, '—'],
  [
    `10,000 synthetic rows (CSV): parse + store (${bigResult.stored!.tasks.created} tasks)`,
    `${(bigMs / 1000).toFixed(2)} s`,
    '< 10 s',
  ],
];
await writeBenchmarkTable('import', [`PostgreSQL ${postgres.provenance}.`], rows);
