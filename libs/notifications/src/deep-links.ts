/**
 * Deep links in emails: signed, expiring, single-purpose tokens. A token
 * names what it opens (report progress on a task, review it, …), for whom
 * (the recipient's person id) and until when; it carries no password and
 * grants nothing by itself — the web app asks the person to sign in, checks
 * that the signed-in person is the token's, and opens the form.
 *
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256(payload)).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '#domain';

export const LINK_PURPOSES = [
  'report',
  'input',
  'review',
  'catch_up',
  'decide_extension',
  'view',
  'report_table',
  /** The lead unit's written reply to a 督办单 (the task's page). */
  'notice',
  /** The 督查室's 督办单 register of the cycle. */
  'notices',
  /** The 领导批示 page (an answer owed). */
  'instructions',
] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  purpose: LinkPurpose;
  cycleId: string;
  /** The task (absent for a cycle-wide link: the assignment list, the report). */
  taskId: string | null;
  /** The co-unit whose input the link is for. */
  unitId: string | null;
  /** Whom the link was mailed to. */
  personId: string;
  expiresAt: string;
}

interface Payload {
  p: LinkPurpose;
  c: string;
  t: string | null;
  n: string | null;
  u: string;
  e: number;
}

/** Where each purpose leads in the web app. */
export function linkPath(claims: LinkClaims): string {
  const cycle = `/cycles/${encodeURIComponent(claims.cycleId)}`;
  if (claims.purpose === 'notices') return `${cycle}/notices`;
  if (claims.purpose === 'instructions') return '/instructions';
  if (!claims.taskId) return claims.purpose === 'report_table' ? `${cycle}/report` : `${cycle}/tasks`;
  const task = `${cycle}/tasks/${claims.taskId}`;
  return claims.purpose === 'view'
    ? task
    : `${task}?action=${claims.purpose}${claims.unitId ? `&unit=${claims.unitId}` : ''}`;
}

export class DeepLinks {
  constructor(
    private readonly secret: string,
    /** Base of the links, e.g. https://duban.example.gov.cn */
    private readonly publicUrl: string,
    private readonly ttlDays = 30,
  ) {
    if (secret.length < 32) throw new Error('LINK_SECRET must be at least 32 characters');
  }

  token(claims: Omit<LinkClaims, 'expiresAt'>, now = Date.now()): string {
    const payload: Payload = {
      p: claims.purpose,
      c: claims.cycleId,
      t: claims.taskId,
      n: claims.unitId,
      u: claims.personId,
      e: Math.floor(now / 1000) + this.ttlDays * 86_400,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The URL mailed to the person: the web app's landing route for the token. */
  url(claims: Omit<LinkClaims, 'expiresAt'>, now = Date.now()): string {
    return `${this.publicUrl}/go/${this.token(claims, now)}`;
  }

  /** The claims of a genuine, unexpired token (of the expected purpose, if given); else a DomainError. */
  verify(token: string, options: { now?: number; purpose?: LinkPurpose } = {}): LinkClaims {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || !this.signatureMatches(body, signature)) {
      throw new DomainError('LINK_INVALID', '链接无效或已被篡改', 'the link is invalid or was altered');
    }
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      throw new DomainError('LINK_INVALID', '链接无效', 'the link is invalid');
    }
    if (!LINK_PURPOSES.includes(payload.p) || typeof payload.e !== 'number') {
      throw new DomainError('LINK_INVALID', '链接无效', 'the link is invalid');
    }
    const expiresAt = new Date(payload.e * 1000);
    if ((options.now ?? Date.now()) >= expiresAt.getTime()) {
      throw new DomainError(
        'LINK_EXPIRED',
        '链接已过期，请登录后在待办中办理',
        'the link has expired; sign in and open the task from your list',
        {
          expiresAt: expiresAt.toISOString(),
        },
      );
    }
    if (options.purpose && payload.p !== options.purpose) {
      throw new DomainError('LINK_WRONG_PURPOSE', `此链接只能用于 ${payload.p}`, `this link is for ${payload.p} only`);
    }
    return {
      purpose: payload.p,
      cycleId: payload.c,
      taskId: payload.t,
      unitId: payload.n,
      personId: payload.u,
      expiresAt: expiresAt.toISOString(),
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  private signatureMatches(body: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/**
 * The configured secret, or (development) one generated once into the data
 * directory so that the API and the worker of one installation agree.
 */
export function linkSecret(configured: string | undefined, file: string): string {
  if (configured) return configured;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // Written aside and linked into place: a process starting alongside sees the whole secret or none.
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(aside);
    }
  }
  return readFileSync(file, 'utf8').trim();
}
