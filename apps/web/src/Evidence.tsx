/**
 * Evidence (佐证材料) on the pages: what a unit attaches to its report, input or 督办单 reply (uploaded with
 * progress shown, pending until sent), and the files a version or a timeline event went with (links that
 * open or download them).
 */
import { Button, List, Progress, Space, Tag, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import type { EvidenceFile } from './generated/client';
import * as client from './generated/client';
import { ApiError } from './api';
import { words, type Language } from './i18n';
import { errorText } from './useAction';

type Part = EvidenceFile['part'];

/** 1.2 MB, 340 KB: a size as people read it. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function fileUrl(cycleId: string, taskId: string, id: string, download = false): string {
  return client.evidenceDownloadUrl({ cycleId, taskId, evidenceId: id }, download ? { download: '1' } : undefined);
}

/**
 * Sends one file's bytes (application/octet-stream) with its name, reporting the share sent (0–100);
 * answers the stored file or throws ApiError with the server's reason (e.g. EVIDENCE_TYPE_NOT_ALLOWED).
 */
function sendFile<T = EvidenceFile>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      const data = (request.responseText ? JSON.parse(request.responseText) : {}) as Record<string, string>;
      if (request.status >= 200 && request.status < 300) resolve(data as unknown as T);
      else
        reject(
          new ApiError(
            request.status,
            data.code ?? `HTTP_${request.status}`,
            data.message ?? '上传失败',
            data.messageEn ?? 'Upload failed',
          ),
        );
    };
    request.onerror = () => reject(new ApiError(0, 'NETWORK', '网络中断，上传失败', 'the upload was cut off'));
    request.send(file);
  });
}

type ShownFile = Pick<EvidenceFile, 'id' | 'fileName' | 'mediaType' | 'sizeBytes'>;

/** Photos a browser shows as they are (a thumbnail is the file itself). */
const thumbnailed = (file: ShownFile) =>
  file.mediaType.startsWith('image/') && file.mediaType !== 'image/heic' && file.mediaType !== 'image/tiff';

/**
 * Files as links, headed 佐证材料（n）: a photo with its thumbnail, photos and PDF opening in place, the rest
 * downloaded; `urlOf(id, download)` says where each is read. `onRemove`: a 删除 button beside each.
 */
export function FileLinks({
  files,
  urlOf,
  language,
  onRemove,
  testId = 'evidence-links',
}: {
  files: readonly ShownFile[];
  urlOf: (fileId: string, download: boolean) => string;
  language: Language;
  onRemove?: (file: ShownFile) => void;
  testId?: string;
}) {
  const { t, aside } = words(language);
  if (files.length === 0) return null;
  return (
    <div data-testid={testId} style={{ marginTop: 8 }}>
      <Typography.Text strong>{`${t('evidence')}${aside(files.length)}`}</Typography.Text>
      <Space wrap style={{ display: 'flex', marginTop: 4 }}>
        {files.map((file) => (
          <Space key={file.id} size={4}>
            {thumbnailed(file) ? (
              <a href={urlOf(file.id, false)} target="_blank" rel="noreferrer">
                <img
                  src={urlOf(file.id, false)}
                  alt={file.fileName}
                  style={{ height: 48, maxWidth: 96, objectFit: 'cover', border: '1px solid #eee' }}
                />
              </a>
            ) : null}
            <a href={urlOf(file.id, !/^(image\/|application\/pdf)/.test(file.mediaType))}>{file.fileName}</a>
            <Typography.Text type="secondary">{sizeText(file.sizeBytes)}</Typography.Text>
            {onRemove ? (
              <Button size="small" type="link" danger onClick={() => onRemove(file)}>
                {t('remove')}
              </Button>
            ) : null}
          </Space>
        ))}
      </Space>
    </div>
  );
}

/** The files a version or an event went with: each a link (photos and PDF open, others download). */
export function EvidenceLinks({
  files,
  cycleId,
  taskId,
  language,
}: {
  files: readonly ShownFile[];
  cycleId: string;
  taskId: string;
  language: Language;
}) {
  return (
    <FileLinks files={files} language={language} urlOf={(id, download) => fileUrl(cycleId, taskId, id, download)} />
  );
}

/**
 * Where a unit attaches files to its next report (part), for its unit: the files that will go with it
 * (pending and sent ones not withheld), each to take back, and an upload with progress. `files` is the
 * workspace's list; `onChange` reloads it.
 */
export function EvidenceAttach({
  language,
  cycleId,
  taskId,
  part,
  unitId,
  files,
  onChange,
}: {
  language: Language;
  cycleId: string;
  taskId: string;
  part: Part;
  unitId: string;
  files: readonly EvidenceFile[];
  onChange: () => void;
}) {
  const { t } = words(language);
  const [failure, setFailure] = useState<string | null>(null);
  // A report's files carry over to its next version; a 督办单 reply's go with that reply alone.
  const going = files.filter(
    (f) =>
      f.part === part &&
      f.unitId === unitId &&
      (part === 'notice_reply' ? f.state === 'pending' : f.state !== 'withheld'),
  );
  const url = `/api/cycles/${encodeURIComponent(cycleId)}/tasks/${encodeURIComponent(taskId)}/evidence?${new URLSearchParams({ part, unitId }).toString()}`;
  return (
    <div id={`evidence-${part}`} data-testid={`evidence-${part}`} style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('evidence')}</Typography.Text>
      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
        {t('evidenceHint')}
      </Typography.Text>
      <List
        size="small"
        dataSource={going}
        locale={{ emptyText: t('noEvidence') }}
        renderItem={(file) => (
          <List.Item
            actions={[
              <Button
                key="remove"
                size="small"
                type="link"
                danger
                onClick={async () => {
                  try {
                    await client.evidenceRemove({ cycleId, taskId, evidenceId: file.id });
                    setFailure(null);
                  } catch (error) {
                    setFailure(errorText(error, language));
                  }
                  onChange();
                }}
              >
                {file.state === 'pending' ? t('remove') : t('withhold')}
              </Button>,
            ]}
          >
            <Space size={4}>
              <a href={fileUrl(cycleId, taskId, file.id, true)}>{file.fileName}</a>
              <Typography.Text type="secondary">{sizeText(file.sizeBytes)}</Typography.Text>
              {file.state === 'pending' ? (
                <Tag>{t('evidencePending')}</Tag>
              ) : (
                <Tag color="blue">{t('evidenceSent')}</Tag>
              )}
            </Space>
          </List.Item>
        )}
      />
      <FileUpload
        language={language}
        urlOf={(name) => `${url}&name=${encodeURIComponent(name)}`}
        testId={`evidence-upload-${part}`}
        onFailure={setFailure}
        onDone={onChange}
      />
      {failure ? (
        <Typography.Paragraph type="danger" data-testid="evidence-error" style={{ marginTop: 4 }}>
          {failure}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}

/**
 * 上传佐证材料: a button that sends each file chosen to `urlOf(its name)` with its progress shown; a refusal is
 * given to `onFailure` in the reader's words (null after a success), and `onDone` follows every file.
 */
export function FileUpload({
  language,
  urlOf,
  testId,
  onFailure,
  onDone,
  onSending,
}: {
  language: Language;
  urlOf: (fileName: string) => string;
  testId: string;
  onFailure: (text: string | null) => void;
  onDone: () => void;
  /** True while any file chosen is still being sent (several may go at once), false once none is. */
  onSending?: (sending: boolean) => void;
}) {
  const { t } = words(language);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const sending = useRef(0);
  return (
    <>
      <Upload
        multiple
        showUploadList={false}
        customRequest={async ({ file }) => {
          const chosen = file as File;
          setProgress({ name: chosen.name, percent: 0 });
          sending.current += 1;
          onSending?.(true);
          try {
            await sendFile(urlOf(chosen.name), chosen, (percent) => setProgress({ name: chosen.name, percent }));
            onFailure(null);
          } catch (error) {
            onFailure(errorText(error, language));
          } finally {
            setProgress(null);
            sending.current -= 1;
            onSending?.(sending.current > 0);
            onDone();
          }
        }}
      >
        <Button data-testid={testId}>{t('attachEvidence')}</Button>
      </Upload>
      {progress ? (
        <div data-testid="evidence-progress">
          <Typography.Text type="secondary">{progress.name}</Typography.Text>
          <Progress percent={progress.percent} size="small" />
        </div>
      ) : null}
    </>
  );
}
