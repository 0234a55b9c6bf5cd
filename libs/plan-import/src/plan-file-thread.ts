/**
 * Reading a plan file off the thread that answers requests: one worker thread,
 * started on first use and kept warm, reads files one at a time within a time
 * budget and a memory ceiling. A file that runs past either is refused
 * (IMPORT_TOO_COMPLEX) and the worker replaced, so no upload can hold up or
 * bring down the process that serves everyone else.
 */
import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode, type ImportedPlan } from '#domain';
import type { PlanFileFormat, ReadPlanFileOptions } from './read-plan-file.js';

/** How long one file may take to read, in milliseconds (10,000 rows take a few seconds). */
export const DEFAULT_IMPORT_TIME_BUDGET_MS = 60_000;
/** The worker's heap ceiling, in MB: an XLSX within its bounds needs a few hundred. */
export const DEFAULT_IMPORT_MEMORY_MB = 1024;

/** @internal The message to the worker. */
export interface PlanFileJob {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  options: ReadPlanFileOptions;
}

/** @internal The worker's answer: the plan, a refusal (a DomainError's parts) or a failure (a bug). */
export type PlanFileAnswer =
  | { id: number; plan: ImportedPlan & { format: PlanFileFormat } }
  | { id: number; refused: { code: ErrorCode; zh: string; en: string; details?: Record<string, unknown> } }
  | { id: number; failed: { message: string; stack?: string } };

export interface PlanFileThreadOptions {
  /** Milliseconds one file may take, from when the worker gets it (default DEFAULT_IMPORT_TIME_BUDGET_MS). */
  timeBudgetMs?: number;
  /** The worker's old-generation heap ceiling in MB (default DEFAULT_IMPORT_MEMORY_MB). */
  maxMemoryMb?: number;
}

export class PlanFileThread {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly timeBudgetMs: number;
  private readonly maxMemoryMb: number;

  constructor(options: PlanFileThreadOptions = {}) {
    this.timeBudgetMs = options.timeBudgetMs ?? DEFAULT_IMPORT_TIME_BUDGET_MS;
    this.maxMemoryMb = options.maxMemoryMb ?? DEFAULT_IMPORT_MEMORY_MB;
  }

  /**
   * What readPlanFile answers for these bytes, read in the worker thread;
   * files queue and are read one at a time. Throws the same DomainErrors, and
   * IMPORT_TOO_COMPLEX when the file takes longer than the time budget or more
   * memory than the ceiling. The bytes are copied; the caller keeps its own.
   */
  read(
    bytes: Uint8Array,
    fileName: string,
    options: ReadPlanFileOptions = {},
  ): Promise<ImportedPlan & { format: PlanFileFormat }> {
    const turn = this.queue.then(() => this.run(bytes, fileName, options));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the worker (a later read starts another). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./plan-file.worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
    });
    // A warm worker waiting for the next file does not keep a command-line process alive.
    worker.unref();
    worker.on('error', () => undefined);
    return worker;
  }

  private run(
    bytes: Uint8Array,
    fileName: string,
    options: ReadPlanFileOptions,
  ): Promise<ImportedPlan & { format: PlanFileFormat }> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const giveUp = (zh: string, en: string, details: Record<string, unknown>) => {
        settle();
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        reject(new DomainError('IMPORT_TOO_COMPLEX', zh, en, details));
      };
      const timer = setTimeout(
        () =>
          giveUp(
            `文件 ${fileName} 未能在 ${this.timeBudgetMs / 1000} 秒内读完，已停止：请拆分文件或删去过长、过多的内容后重新导入`,
            `${fileName} could not be read within ${this.timeBudgetMs / 1000} s and was stopped; split the file or remove overlong content and import again`,
            { timeBudgetMs: this.timeBudgetMs },
          ),
        this.timeBudgetMs,
      );
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          giveUp(
            `读取文件 ${fileName} 所需内存超过 ${this.maxMemoryMb} MB 上限，已停止：请拆分文件后重新导入`,
            `Reading ${fileName} needed more than the ${this.maxMemoryMb} MB allowed and was stopped; split the file and import again`,
            { maxMemoryMb: this.maxMemoryMb },
          );
          return;
        }
        settle();
        if (this.worker === worker) this.worker = undefined;
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        if (this.worker === worker) this.worker = undefined;
        reject(new Error(`the plan-file worker exited (code ${code}) while reading ${fileName}`));
      };
      const onMessage = (answer: PlanFileAnswer) => {
        if (answer.id !== id) return;
        settle();
        if ('plan' in answer) resolve(answer.plan);
        else if ('refused' in answer) {
          const { code, zh, en, details } = answer.refused;
          reject(new DomainError(code, zh, en, details));
        } else reject(Object.assign(new Error(answer.failed.message), { stack: answer.failed.stack }));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // A copy the worker owns: the caller's buffer may be a slice of a shared pool.
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, bytes: copy, fileName, options } satisfies PlanFileJob, [copy.buffer]);
    });
  }
}

const shared = new PlanFileThread();

/**
 * readPlanFile in the process's shared worker thread, within
 * DEFAULT_IMPORT_TIME_BUDGET_MS and DEFAULT_IMPORT_MEMORY_MB: what the API,
 * the CLI and the benchmark import through.
 */
export function readPlanFileOffThread(
  bytes: Uint8Array,
  fileName: string,
  options: ReadPlanFileOptions = {},
): Promise<ImportedPlan & { format: PlanFileFormat }> {
  return shared.read(bytes, fileName, options);
}
