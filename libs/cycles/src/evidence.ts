/**
 * Evidence (佐证材料): files a unit attaches to its part of a task-cycle — its progress report, a
 * co-unit's input, a catch-up plan, a 督办单 reply.
 *
 * A file is uploaded while the unit prepares its part (pending: only that unit's reporters see it), and
 * goes with the next version the unit sends: `bindSubmissionEvidence` (in the transaction that stores the
 * submission) links every file of that part not withheld to the new version, so a resubmission after a
 * return keeps the files of the version before; `bindReplyEvidence` (in the transaction that records a
 * `notice_replied` event) gives the pending reply files to that reply. A sent file is never deleted: the
 * unit may only withhold it from its next version. Files are read by whoever may read the task.
 *
 * The bytes live behind `EvidenceStore`; `PostgresEvidenceStore` keeps them in PostgreSQL in chunks,
 * written and read one chunk at a time (object storage can replace it).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  EVIDENCE_DEFAULT_MAX_MEGABYTES,
  EVIDENCE_PARTS,
  assertEvidenceType,
  evidenceFileName,
  type CycleConfig,
  type EvidencePart,
} from '#domain';
import { audit } from '#audit';
import { getTaskCycle, type TaskCycleView, type TaskScope } from './cycle-read-model.js';
import { reporterScope, reporterUnits } from './reporter-units.js';

/** Bytes kept per chunk (and the most of a file looked at to tell its type). */
export const EVIDENCE_CHUNK_BYTES = 256 * 1024;

/** Where evidence files' bytes are kept, under keys Duban makes. */
export interface EvidenceStore {
  /** Keeps `chunks` under `key`, all or nothing (a throw from `chunks` keeps nothing). */
  put(key: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  /** The bytes under `key`, in order; nothing for an unknown key. */
  get(key: string): AsyncIterable<Buffer>;
  delete(key: string): Promise<void>;
}

/** The store in PostgreSQL (`evidence_chunk`): one row per chunk of at most EVIDENCE_CHUNK_BYTES. */
export class PostgresEvidenceStore implements EvidenceStore {
  constructor(private readonly dataSource: DataSource) {}

  async put(key: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      let seq = 0;
      for await (const chunk of chunks) {
        await manager.query(`INSERT INTO evidence_chunk (storage_key, seq, data) VALUES ($1, $2, $3)`, [
          key,
          seq,
          chunk,
        ]);
        seq += 1;
      }
    });
  }

  async *get(key: string): AsyncIterable<Buffer> {
    for (let seq = 0; ; seq += 1) {
      const [row] = (await this.dataSource.query(
        `SELECT data FROM evidence_chunk WHERE storage_key = $1 AND seq = $2`,
        [key, seq],
      )) as { data: Buffer }[];
      if (!row) return;
      yield row.data;
    }
  }

  async delete(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM evidence_chunk WHERE storage_key = $1`, [key]);
  }
}

/** One evidence file as people see it. */
export interface EvidenceFile {
  id: string;
  part: EvidencePart;
  unitId: string;
  unit: string;
  fileName: string;
  /** The type read from the content, e.g. image/jpeg. */
  mediaType: string;
  /** The extension of that type (jpg, pdf, docx, cfb for a legacy Office/WPS file…). */
  extension: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  /** pending: waits for the unit's next report; sent: went with one; withheld: sent, left out of the next. */
  state: 'pending' | 'sent' | 'withheld';
  /** The versions (第n版 of its part by its unit) it went with; the 督办单 reply event's seq for a reply. */
  versions: number[];
  replySeq: number | null;
}

/** Reads `source` into chunks of EVIDENCE_CHUNK_BYTES (the last shorter). */
async function* rechunk(source: AsyncIterable<Buffer | string>): AsyncIterable<Buffer> {
  let held: Buffer[] = [];
  let size = 0;
  for await (const piece of source) {
    let buffer = typeof piece === 'string' ? Buffer.from(piece) : piece;
    while (buffer.length > 0) {
      const take = Math.min(buffer.length, EVIDENCE_CHUNK_BYTES - size);
      held.push(buffer.subarray(0, take));
      size += take;
      buffer = buffer.subarray(take);
      if (size === EVIDENCE_CHUNK_BYTES) {
        yield Buffer.concat(held);
        held = [];
        size = 0;
      }
    }
  }
  if (size > 0) yield Buffer.concat(held);
}

function tooLarge(fileName: string, maxMegabytes: number): DomainError {
  return new DomainError(
    'EVIDENCE_TOO_LARGE',
    `“${fileName}”超过本计划佐证材料单个文件上限 ${maxMegabytes} MB，请压缩或拆分后上传`,
    `"${fileName}" is over this plan's limit of ${maxMegabytes} MB per evidence file; compress or split it`,
    { fileName, maxMegabytes },
  );
}

/** The unit a reporter attaches `part` for: the lead unit, or for input the co-unit named (else their own co-unit). */
export async function owingUnitOf(
  dataSource: DataSource | EntityManager,
  task: TaskCycleView,
  part: EvidencePart,
  personId: string,
  unitId?: string,
): Promise<string> {
  const mine = await reporterUnits(dataSource, personId);
  const lead = task.leadUnitId as string;
  const coUnits = Object.keys((task.coInputs as Record<string, unknown> | null) ?? {});
  const chosen = part === 'input' ? (unitId ?? coUnits.find((u) => mine.includes(u))) : lead;
  const owes = part === 'input' ? coUnits.includes(chosen ?? '') : true;
  if (!chosen || !owes || !mine.includes(chosen)) {
    throw new DomainError('WRONG_UNIT', '您不是此单位的填报人', 'you do not report for this unit');
  }
  return chosen;
}

/** What an upload names: the part, the unit (a co-unit's input), the file's name as the reporter had it. */
export interface EvidenceUpload {
  cycleId: string;
  taskId: string;
  part: string;
  unitId?: string;
  fileName: string;
  /** The size the request announces (Content-Length), if any: refused at once when over the limit. */
  declaredBytes?: number;
  personId: string;
}

/**
 * Keeps one evidence file for a unit's part of a task-cycle, pending until the unit sends that part. The
 * type is read from the first bytes (file-type), not the name; the size is counted as the bytes arrive and
 * the upload is cut off past the plan's limit (CycleConfig.evidenceMaxMegabytes, default 20 MiB).
 * @returns the stored file (state pending)
 * @throws DomainError NOT_FOUND (no such part or task-cycle), WRONG_UNIT (not a reporter of the owing unit),
 *   WRONG_STATE (the task-cycle is closed), INVALID_INPUT (no name, an empty file), EVIDENCE_TOO_LARGE (413),
 *   EVIDENCE_TYPE_NOT_ALLOWED (415); nothing is kept after a refusal
 */
export async function uploadEvidence(
  dataSource: DataSource,
  store: EvidenceStore,
  upload: EvidenceUpload,
  /** The file's bytes; null when the request's body was read as something else (JSON, a form). */
  body: AsyncIterable<Buffer | string> | null,
): Promise<EvidenceFile> {
  if (!EVIDENCE_PARTS.includes(upload.part as EvidencePart)) {
    throw new DomainError(
      'INVALID_INPUT',
      `part 应为 ${EVIDENCE_PARTS.join('、')}`,
      `part must be one of ${EVIDENCE_PARTS.join(', ')}`,
      { field: 'part' },
    );
  }
  const part = upload.part as EvidencePart;
  const fileName = evidenceFileName(upload.fileName);
  const mine = await reporterScope(dataSource, upload.personId);
  const task = await getTaskCycle(dataSource, upload.cycleId, upload.taskId, mine);
  const unitId = await owingUnitOf(dataSource, task, part, upload.personId, upload.unitId);
  if (task.closedAt) throw new DomainError('WRONG_STATE', '本期此任务的填报已结束', 'this task-cycle is closed');
  const [cycle] = (await dataSource.query(`SELECT config FROM cycle WHERE id = $1`, [upload.cycleId])) as {
    config: Partial<CycleConfig> | null;
  }[];
  // The row not written, its bytes go too.
  const id = await keepEvidence(
    store,
    {
      fileName,
      maxMegabytes: cycle?.config?.evidenceMaxMegabytes ?? EVIDENCE_DEFAULT_MAX_MEGABYTES,
      declaredBytes: upload.declaredBytes,
    },
    body,
    (received) =>
      dataSource.transaction(async (manager) => {
        const [row] = (await manager.query(
          `INSERT INTO evidence (task_cycle_id, unit_id, part, file_name, media_type, extension, size_bytes, sha256,
                                 storage_key, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            task.id,
            unitId,
            part,
            fileName,
            received.mediaType,
            received.extension,
            received.sizeBytes,
            received.sha256,
            received.key,
            upload.personId,
          ],
        )) as { id: string }[];
        await audit(manager, upload.personId, 'evidence.uploaded', task.id, {
          evidenceId: row!.id,
          unitId,
          part,
          fileName,
          sizeBytes: received.sizeBytes,
        });
        return row!.id;
      }),
  );
  const [file] = await evidenceFiles(dataSource, task.id as string, { ids: [id] });
  return file!;
}

/** A file received into the store: its key there, and what its content says it is. */
export interface ReceivedEvidence {
  key: string;
  sizeBytes: number;
  sha256: string;
  /** The type read from the content, e.g. image/jpeg, and its extension (jpg). */
  mediaType: string;
  extension: string;
}

/**
 * Receives one evidence file's bytes into `store`: spooled to a temporary file first (checked, counted and
 * hashed as they arrive, so a slow upload holds no database connection), the type read from the first chunk
 * (file-type; `EVIDENCE_TYPES`), cut off past `maxMegabytes`; then written to the store from the spool. The
 * caller writes the file's row, and deletes `key` from the store if that fails (`keepEvidence` does both).
 * @throws DomainError INVALID_INPUT (no body, an empty file), EVIDENCE_TOO_LARGE (413),
 *   EVIDENCE_TYPE_NOT_ALLOWED (415); nothing is kept after a refusal
 */
export async function receiveEvidence(
  store: EvidenceStore,
  file: { fileName: string; maxMegabytes: number; declaredBytes?: number },
  /** The file's bytes; null when the request's body was read as something else (JSON, a form). */
  body: AsyncIterable<Buffer | string> | null,
): Promise<ReceivedEvidence> {
  const { fileName, maxMegabytes } = file;
  if (body === null) {
    throw new DomainError(
      'INVALID_INPUT',
      '请以 application/octet-stream 发送文件内容',
      'send the file’s bytes as application/octet-stream',
      { field: 'body' },
    );
  }
  const maxBytes = maxMegabytes * 1024 * 1024;
  if (file.declaredBytes !== undefined && file.declaredBytes > maxBytes) throw tooLarge(fileName, maxMegabytes);
  const spool = await mkdtemp(join(tmpdir(), 'duban-evidence-'));
  try {
    const spooled = join(spool, 'upload');
    const hash = createHash('sha256');
    let size = 0;
    let type: { ext: string; mime: string } | undefined;
    async function* checked(): AsyncIterable<Buffer> {
      for await (const chunk of rechunk(body!)) {
        if (size === 0) {
          const found = await fileTypeFromBuffer(chunk);
          assertEvidenceType(found?.ext, fileName);
          type = found;
        }
        size += chunk.length;
        if (size > maxBytes) throw tooLarge(fileName, maxMegabytes);
        hash.update(chunk);
        yield chunk;
      }
    }
    await pipeline(Readable.from(checked()), createWriteStream(spooled));
    const kind = type as { ext: string; mime: string } | undefined;
    if (size === 0 || !kind) {
      throw new DomainError('INVALID_INPUT', `“${fileName}”是空文件`, `"${fileName}" is empty`, { field: 'body' });
    }
    const key = randomUUID();
    await store.put(key, rechunk(createReadStream(spooled)));
    return { key, sizeBytes: size, sha256: hash.digest('hex'), mediaType: kind.mime, extension: kind.ext };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/**
 * Receives one file (`receiveEvidence`) and hands it to `keep`, which writes the file's row; when `keep` throws,
 * the bytes are deleted from the store and its error is the answer.
 * @returns what `keep` answers
 * @throws what `receiveEvidence` or `keep` throws; nothing is kept then
 */
export async function keepEvidence<T>(
  store: EvidenceStore,
  file: { fileName: string; maxMegabytes: number; declaredBytes?: number },
  body: AsyncIterable<Buffer | string> | null,
  keep: (received: ReceivedEvidence) => Promise<T>,
): Promise<T> {
  const received = await receiveEvidence(store, file, body);
  try {
    return await keep(received);
  } catch (error) {
    // Its refusal is the answer, even should the bytes not go (they are then an orphan, never read).
    await store.delete(received.key).catch(() => undefined);
    throw error;
  }
}

/**
 * A task-cycle's evidence files, oldest first: every sent one, and the pending ones of `ownUnits` (a
 * reporter's units; pending files are theirs alone). `ids` narrows to those files.
 */
export async function evidenceFiles(
  db: DataSource | EntityManager,
  taskCycleId: string,
  options: { ownUnits?: readonly string[]; ids?: readonly string[] } = {},
): Promise<EvidenceFile[]> {
  return (await db.query(
    `SELECT e.id, e.part, e.unit_id AS "unitId", u.name AS unit, e.file_name AS "fileName", e.media_type AS "mediaType",
            e.extension, e.size_bytes::float8 AS "sizeBytes", e.sha256, e.uploaded_by AS "uploadedBy",
            e.uploaded_at AS "uploadedAt",
            CASE WHEN e.sent_at IS NULL THEN 'pending' WHEN e.withheld THEN 'withheld' ELSE 'sent' END AS state,
            COALESCE((SELECT array_agg(s.cycle_sequence ORDER BY s.cycle_sequence)
                        FROM submission_evidence se JOIN submission s ON s.id = se.submission_id
                       WHERE se.evidence_id = e.id), '{}') AS versions,
            e.reply_seq AS "replySeq"
       FROM evidence e JOIN unit u ON u.id = e.unit_id
      WHERE e.task_cycle_id = $1
        AND ($2::uuid[] IS NULL OR e.id = ANY($2::uuid[]))
        AND (e.sent_at IS NOT NULL OR $2::uuid[] IS NOT NULL OR e.unit_id = ANY($3::uuid[]))
      ORDER BY e.uploaded_at, e.id`,
    [taskCycleId, options.ids ?? null, options.ownUnits ?? []],
  )) as EvidenceFile[];
}

/**
 * One evidence file to read, with its bytes: the caller must read the task (`scope`), and a pending file
 * is its unit's reporters' alone. Throws DomainError NOT_FOUND (no such file for this task, or pending and
 * not the caller's), WRONG_UNIT (the task is outside the caller's scope).
 */
export async function openEvidence(
  dataSource: DataSource,
  store: EvidenceStore,
  request: { cycleId: string; taskId: string; evidenceId: string; personId: string; scope: TaskScope | null },
): Promise<{ file: EvidenceFile; bytes: AsyncIterable<Buffer> }> {
  const task = await getTaskCycle(dataSource, request.cycleId, request.taskId, request.scope);
  const file = await ownOrSent(dataSource, task.id as string, request.evidenceId, request.personId);
  const [row] = (await dataSource.query(`SELECT storage_key AS key FROM evidence WHERE id = $1`, [file.id])) as {
    key: string;
  }[];
  return { file, bytes: store.get(row!.key) };
}

async function ownOrSent(
  dataSource: DataSource,
  taskCycleId: string,
  evidenceId: string,
  personId: string,
): Promise<EvidenceFile> {
  const notFound = new DomainError('NOT_FOUND', '没有这份佐证材料', 'no such evidence file');
  if (!/^[0-9a-f-]{36}$/i.test(evidenceId)) throw notFound;
  const [file] = await evidenceFiles(dataSource, taskCycleId, { ids: [evidenceId] });
  if (!file) throw notFound;
  if (file.state === 'pending') {
    const mine = (await reporterScope(dataSource, personId)).unitIds;
    if (!mine.includes(file.unitId)) throw notFound;
  }
  return file;
}

/**
 * A reporter of the file's unit takes it back: a pending file is deleted (bytes too); a sent one stays with
 * the versions it went with and is withheld from the unit's next version. Audited.
 * @returns the file's state after: 'deleted' or 'withheld'
 * @throws DomainError NOT_FOUND, WRONG_UNIT (not a reporter of its unit), WRONG_STATE (the task-cycle is closed)
 */
export async function removeEvidence(
  dataSource: DataSource,
  store: EvidenceStore,
  request: { cycleId: string; taskId: string; evidenceId: string; personId: string },
): Promise<{ state: 'deleted' | 'withheld' }> {
  const mine = await reporterScope(dataSource, request.personId);
  const task = await getTaskCycle(dataSource, request.cycleId, request.taskId, mine);
  const file = await ownOrSent(dataSource, task.id as string, request.evidenceId, request.personId);
  if (!mine.unitIds.includes(file.unitId)) {
    throw new DomainError('WRONG_UNIT', '您不是此单位的填报人', 'you do not report for this unit');
  }
  if (task.closedAt) throw new DomainError('WRONG_STATE', '本期此任务的填报已结束', 'this task-cycle is closed');
  // Decided under the row's lock: a submission sending the file at the same moment goes first or waits.
  const { state, key } = await dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `SELECT sent_at IS NULL AS pending, storage_key AS key FROM evidence WHERE id = $1 FOR UPDATE`,
      [file.id],
    )) as { pending: boolean; key: string }[];
    if (!row) throw new DomainError('NOT_FOUND', '没有这份佐证材料', 'no such evidence file');
    const outcome = row.pending ? ('deleted' as const) : ('withheld' as const);
    await manager.query(
      row.pending ? `DELETE FROM evidence WHERE id = $1` : `UPDATE evidence SET withheld = true WHERE id = $1`,
      [file.id],
    );
    await audit(manager, request.personId, `evidence.${outcome}`, task.id, {
      evidenceId: file.id,
      fileName: file.fileName,
    });
    return { state: outcome, key: row.pending ? row.key : null };
  });
  if (key) await store.delete(key);
  return { state };
}
