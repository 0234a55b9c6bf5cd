/**
 * The worker thread of PlanFileThread: reads one plan file at a time, off the
 * thread that answers requests, and posts the plan or the refusal back.
 */
import { parentPort } from 'node:worker_threads';
import { DomainError } from '#domain';
import { readPlanFile } from './read-plan-file.js';
import type { PlanFileJob, PlanFileAnswer } from './plan-file-thread.js';

parentPort!.on('message', (job: PlanFileJob) => {
  void readPlanFile(job.bytes, job.fileName, job.options).then(
    (plan) => parentPort!.postMessage({ id: job.id, plan } satisfies PlanFileAnswer),
    (error: unknown) => {
      const answer: PlanFileAnswer =
        error instanceof DomainError
          ? {
              id: job.id,
              refused: { code: error.code, zh: error.messageZh, en: error.messageEn, details: error.details },
            }
          : {
              id: job.id,
              failed: { message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack },
            };
      parentPort!.postMessage(answer);
    },
  );
});
