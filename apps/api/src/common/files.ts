/**
 * Files over HTTP: an upload's bytes as the request's body (application/octet-stream), and a file sent to a
 * browser, shown in place when a browser can (photos, PDF), else downloaded.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';

/** Types a browser may show in place (photos, PDF); everything else is only downloaded. */
const SHOWN_INLINE = /^(image\/(jpeg|png|gif|webp|bmp)|application\/pdf)$/;

/**
 * Streams `bytes` as `file` under a sandboxing CSP (whatever is inside never runs here), with its own name
 * (RFC 6266 `filename*`); `download`: always as an attachment.
 */
export async function sendFile(
  response: Response,
  file: { fileName: string; mediaType: string; extension: string; sizeBytes: number },
  bytes: AsyncIterable<Buffer>,
  download: boolean,
): Promise<void> {
  const inline = !download && SHOWN_INLINE.test(file.mediaType);
  response
    .status(200)
    .type(file.mediaType)
    .setHeader('content-length', String(file.sizeBytes))
    .setHeader('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .setHeader('cache-control', 'private, max-age=3600')
    .setHeader(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="evidence.${file.extension}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    );
  await pipeline(Readable.from(bytes), response);
}

/**
 * The request's body as the file's bytes; null when it was read as JSON or a form already (the bytes are gone:
 * the caller refuses it, once it knows the caller may upload at all).
 */
export function fileBody(request: Request): AsyncIterable<Buffer> | null {
  const consumed =
    request.readableEnded || (request.body !== undefined && Object.keys(request.body as object).length > 0);
  return consumed ? null : (request as AsyncIterable<Buffer>);
}

/** The size a request announces (Content-Length), when it is a number. */
export function declaredBytes(length: string | undefined): number | undefined {
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}
