/**
 * Reading files in the worker thread: the same plan or refusal as on the
 * calling thread, a time budget that stops a file, and a calling thread that
 * goes on with its own work while a large file is read.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { PlanFileThread } from './plan-file-thread.js';
import { readPlanFile } from './read-plan-file.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const thread = new PlanFileThread();
afterAll(() => thread.close());

function bigCsv(rows: number): Uint8Array {
  const lines = ['主要任务,责任单位,进展情况'];
  for (let i = 1; i <= rows; i += 1) lines.push(`新建道路${i}条,区住建局、各街道,已完成${i % 7}条，正常推进`);
  return utf8(lines.join('\n'));
}

describe('PlanFileThread', () => {
  it('answers what readPlanFile answers on the calling thread', async () => {
    const csv = utf8('主要任务,责任单位,进展情况\n回迁安置1000户以上,区住建局,已完成回迁安置588户\n');
    expect(await thread.read(csv, 'x.csv')).toEqual(await readPlanFile(csv, 'x.csv'));
  });

  it('carries a refusal back as the same DomainError, with its position', async () => {
    const error = await thread
      .read(utf8('主要任务,责任单位\n道路\u0000,区住建局\n'), 'nul.csv')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'IMPORT_NOT_TEXT',
      details: { position: '第2行第1列第3个字符 / row 2, column 1, character 3', character: 'U+0000' },
    });
  });

  it('stops a file that runs past its time budget', async () => {
    // Starting a worker alone takes far longer than a millisecond.
    const hurried = new PlanFileThread({ timeBudgetMs: 1 });
    const error = await hurried.read(bigCsv(100), 'x.csv').catch((e: unknown) => e);
    await hurried.close();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'IMPORT_TOO_COMPLEX', details: { timeBudgetMs: 1 } });
  });

  it('leaves the calling thread free while a large file is read', async () => {
    const file = bigCsv(20_000);
    let turns = 0;
    let reading = true;
    const turn = (): void => {
      turns += 1;
      if (reading) setTimeout(turn, 1);
    };
    setTimeout(turn, 1);
    const plan = await thread.read(file, 'big.csv');
    reading = false;
    expect(plan.tasks).toHaveLength(20_000);
    // Read on this thread, the file would let no timer fire until it was done.
    expect(turns).toBeGreaterThan(5);
  });
});
