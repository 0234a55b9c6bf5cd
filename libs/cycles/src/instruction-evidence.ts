/**
 * Evidence (佐证材料) with an answer to a 领导批示. While the answer is owed, the owing unit's reporter attaches
 * files (pending: only that unit sees them) and may remove one; the answer takes them all
 * (`respondToInstruction`), after which they are kept for good and everyone who reads the instruction reads
 * them. The bytes are received as a report's evidence (`keepEvidence`: type from the content, the plan's size
 * limit) and kept in the same `EvidenceStore`.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import {
  DomainError,
  EVIDENCE_DEFAULT_MAX_MEGABYTES,
  evidenceFileName,
  isUuid,
  type CycleConfig,
  type InstructionDuty,
} from '#domain';
import { returnedRows } from '#persistence';
import { assertReadsTaskLead, type InstructionFile, type LeadScope } from '#plans';
import { keepEvidence, type EvidenceStore } from './evidence.js';
import { reporterUnits } from './reporter-units.js';

/** Which instruction's answer, for which task. */
export interface InstructionAnswerRef {
  instructionId: string;
  taskId: string;
}

interface AnswerRow {
  unitId: string;
  categoryId: string;
  duty: InstructionDuty;
  config: Partial<CycleConfig> | null;
}

const noInstruction = () => new DomainError('NOT_FOUND', '没有这条批示', 'no such instruction');

async function answerOf(db: DataSource | EntityManager, ref: InstructionAnswerRef, lock = false): Promise<AnswerRow> {
  if (!isUuid(ref.instructionId) || !isUuid(ref.taskId)) throw noInstruction();
  const [row] = (await db.query(
    `SELECT it.unit_id AS "unitId", v.category_id AS "categoryId", it.duty, p.cycle_config AS config
       FROM instruction_task it
       JOIN current_task_version v ON v.task_id = it.task_id
       JOIN plan p ON p.id = v.plan_id
      WHERE it.instruction_id = $1 AND it.task_id = $2${lock ? ' FOR UPDATE OF it' : ''}`,
    [ref.instructionId, ref.taskId],
  )) as AnswerRow[];
  if (!row) throw noInstruction();
  return row;
}

/** Refuses anyone but a reporter of the owing unit, and an answer no longer owed. */
async function assertOwedBy(db: DataSource | EntityManager, answer: AnswerRow, personId: string): Promise<void> {
  if (!(await reporterUnits(db, personId)).includes(answer.unitId)) {
    throw new DomainError('WRONG_UNIT', '只有承办单位的填报人可以回复批示', 'only the owing unit’s reporter answers');
  }
  if (answer.duty === 'none') {
    throw new DomainError('WRONG_STATE', '此批示为阅件，无需回复', 'a bare 阅 needs no answer');
  }
  if (answer.duty === 'responded') {
    throw new DomainError(
      'WRONG_STATE',
      '此批示已回复，不能再增减佐证材料',
      'the instruction has been answered; its evidence is final',
    );
  }
}

const FILE_COLUMNS = `id, file_name AS "fileName", media_type AS "mediaType", extension, size_bytes::float8 AS "sizeBytes",
                      uploaded_at AS "uploadedAt"`;

/**
 * The owing unit's reporter attaches one file to the answer it owes: the body's bytes, streamed, its type read
 * from the content, at most the plan's `evidenceMaxMegabytes` (default 20).
 * @returns the file, pending until the answer is sent
 * @throws DomainError NOT_FOUND, WRONG_UNIT, WRONG_STATE (a bare 阅, or answered already, also when answered
 *   while the file arrived: then nothing is kept), INVALID_INPUT (no name, no body, empty),
 *   EVIDENCE_TOO_LARGE, EVIDENCE_TYPE_NOT_ALLOWED
 */
export async function attachInstructionFile(
  dataSource: DataSource,
  store: EvidenceStore,
  upload: InstructionAnswerRef & { personId: string; fileName: string; declaredBytes?: number },
  body: AsyncIterable<Buffer | string> | null,
): Promise<InstructionFile> {
  const fileName = evidenceFileName(upload.fileName);
  const answer = await answerOf(dataSource, upload);
  await assertOwedBy(dataSource, answer, upload.personId);
  return keepEvidence(
    store,
    {
      fileName,
      maxMegabytes: answer.config?.evidenceMaxMegabytes ?? EVIDENCE_DEFAULT_MAX_MEGABYTES,
      declaredBytes: upload.declaredBytes,
    },
    body,
    (received) =>
      dataSource.transaction(async (manager) => {
        // Answered while the bytes came: the file is not kept.
        await assertOwedBy(manager, await answerOf(manager, upload, true), upload.personId);
        const [file] = (await manager.query(
          `INSERT INTO instruction_evidence (instruction_id, task_id, file_name, media_type, extension, size_bytes, sha256,
                                           storage_key, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${FILE_COLUMNS}`,
          [
            upload.instructionId,
            upload.taskId,
            fileName,
            received.mediaType,
            received.extension,
            received.sizeBytes,
            received.sha256,
            received.key,
            upload.personId,
          ],
        )) as (Omit<InstructionFile, 'uploadedAt'> & { uploadedAt: Date })[];
        await audit(manager, upload.personId, 'instruction.file_attached', `instruction:${upload.instructionId}`, {
          taskId: upload.taskId,
          evidenceId: file!.id,
          fileName,
          sizeBytes: received.sizeBytes,
        });
        return { ...file!, uploadedAt: file!.uploadedAt.toISOString() };
      }),
  );
}

/**
 * The owing unit's reporter removes a file attached by mistake, while the answer is still owed.
 * @throws DomainError NOT_FOUND, WRONG_UNIT, WRONG_STATE (answered: its files are final)
 */
export async function removeInstructionFile(
  dataSource: DataSource,
  store: EvidenceStore,
  request: InstructionAnswerRef & { fileId: string; personId: string },
): Promise<void> {
  if (!isUuid(request.fileId)) throw new DomainError('NOT_FOUND', '没有这份材料', 'no such file');
  const key = await dataSource.transaction(async (manager) => {
    await assertOwedBy(manager, await answerOf(manager, request, true), request.personId);
    const [row] = returnedRows<{ key: string; fileName: string }>(
      (await manager.query(
        `DELETE FROM instruction_evidence WHERE id = $1 AND instruction_id = $2 AND task_id = $3
         RETURNING storage_key AS key, file_name AS "fileName"`,
        [request.fileId, request.instructionId, request.taskId],
      )) as unknown[],
    );
    if (!row) throw new DomainError('NOT_FOUND', '没有这份材料', 'no such file');
    await audit(manager, request.personId, 'instruction.file_removed', `instruction:${request.instructionId}`, {
      taskId: request.taskId,
      evidenceId: request.fileId,
      fileName: row.fileName,
    });
    return row.key;
  });
  await store.delete(key);
}

/**
 * One file of an answer, for a reader of the instruction's task (plan-wide, its owing unit, a supervisor of that
 * unit or of the task's category); while the answer is owed, for the owing unit's own staff only (`ownUnits`: the
 * units the reader works for, whatever else they read).
 * @throws DomainError NOT_FOUND (also a file one may not see yet), WRONG_UNIT
 */
export async function openInstructionFile(
  dataSource: DataSource,
  store: EvidenceStore,
  request: InstructionAnswerRef & { fileId: string; scope: LeadScope | null; ownUnits: readonly string[] },
): Promise<{ file: InstructionFile; bytes: AsyncIterable<Buffer> }> {
  const notFound = new DomainError('NOT_FOUND', '没有这份材料', 'no such file');
  if (!isUuid(request.fileId)) throw notFound;
  const answer = await answerOf(dataSource, request);
  assertReadsTaskLead(request.scope, { leadUnitId: answer.unitId, categoryId: answer.categoryId });
  if (answer.duty !== 'responded' && !request.ownUnits.includes(answer.unitId)) throw notFound;
  const [row] = (await dataSource.query(
    `SELECT ${FILE_COLUMNS}, storage_key AS key FROM instruction_evidence
      WHERE id = $1 AND instruction_id = $2 AND task_id = $3`,
    [request.fileId, request.instructionId, request.taskId],
  )) as (Omit<InstructionFile, 'uploadedAt'> & { uploadedAt: Date; key: string })[];
  if (!row) throw notFound;
  const { key, uploadedAt, ...file } = row;
  return { file: { ...file, uploadedAt: uploadedAt.toISOString() }, bytes: store.get(key) };
}
