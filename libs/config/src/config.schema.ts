/**
 * The one validated description of Duban's configuration. Every variable is
 * listed in .env.example; a missing or malformed one stops start-up with a
 * message naming it.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = z
  .string()
  .regex(/^\d{1,5}$/, { message: PORT_MESSAGE })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, { message: PORT_MESSAGE });

function urlWithProtocols(protocols: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}

/** host:port, as Temporal clients expect. */
const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, { message: 'must be host:port, e.g. 127.0.0.1:7233' });

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One entry of TRUST_PROXY: a name Express knows, an address, or an address/prefix. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which reverse proxies may name the client in X-Forwarded-For: off (none, the
 * default: the socket's address is the client), a number of proxy hops, or a
 * comma-separated list of loopback / linklocal / uniquelocal / addresses / CIDRs.
 */
const trustProxy = z
  .string()
  .refine(
    (value) => value === 'off' || /^\d{1,2}$/.test(value) || value.split(',').every((e) => isProxyEntry(e.trim())),
    {
      message:
        '须为 off、代理层数或以逗号分隔的 loopback/linklocal/uniquelocal/地址/CIDR / must be off, a number of proxy hops, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDRs (e.g. loopback,10.0.0.0/8)',
    },
  );

/** Bits a secret of this length could hold at most, drawing only on the characters it uses. */
function estimatedBits(secret: string): number {
  const distinct = new Set(secret).size;
  return distinct < 2 ? 0 : secret.length * Math.log2(distinct);
}
const PLACEHOLDER = /change.?me|example|secret|password|duban|test|x{8}|0{8}/i;
const MIN_SECRET_BITS = 128;
const REQUIRED_IN_PRODUCTION = '生产环境（NODE_ENV=production）必须设置 / required when NODE_ENV=production';

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** Reverse proxies trusted to name the client address (sign-in limits, the log); see trustProxy above. */
    TRUST_PROXY: trustProxy.default('off'),
    /** Development and tests only: let a request without a session name its caller in X-Duban-User. */
    DEV_IDENTITY_HEADER: z.enum(['on', 'off']).default('off'),
    /** Seconds a person's action waits for a worker to take it; later it is refused (NO_WORKER) and never applied. */
    ACTION_ACCEPT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
    /** Where people reach Duban (links in emails, HSTS when https); defaults to the API's own address. Required in production. */
    PUBLIC_URL: urlWithProtocols(['http:', 'https:']).optional(),
    /** Signs the deep links in emails; API and worker must share it. Default: one generated into the data directory. */
    LINK_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    /** How long a deep link in an email stays valid. */
    LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']).optional(),
    TEMPORAL_ADDRESS: hostPort.optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** The task queue this installation's workers poll and its cycles run on: two installations on one Temporal differ here. */
    TEMPORAL_TASK_QUEUE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'lower-case letters, digits, ".", "_" or "-"' })
      .default('duban'), // DUBAN_TASK_QUEUE of libs/contracts
    TEMPORAL_CLI: z.string().min(1).optional(),
    /**
     * Which Temporal the start command provides when TEMPORAL_ADDRESS is unset: dev (the CLI's development server,
     * one process on a SQLite file) or server (Temporal Server on PostgreSQL: the production profile).
     */
    DUBAN_TEMPORAL: z.enum(['dev', 'server']).default('dev'),
    /** Temporal Server's persistence and visibility databases, on the app's PostgreSQL server. */
    TEMPORAL_DB: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default('duban_temporal'),
    TEMPORAL_VISIBILITY_DB: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default('duban_temporal_visibility'),
    /** The first of Temporal Server's membership ports (+0…+6); Temporal stores them as smallint. */
    TEMPORAL_MEMBERSHIP_PORT: z.coerce.number().int().min(1).max(32_761).default(6933),
    /** Worker and API processes the start command runs (default: 1 each on dev, 2 each on server). */
    DUBAN_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
    DUBAN_API_PROCESSES: z.coerce.number().int().min(1).max(16).optional(),
    TEMPORAL_DEV_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    SMTP_URL: urlWithProtocols(['smtp:', 'smtps:']).optional(),
    SMTP_CAPTURE_PORT: port.default(1025),
    /** Besides demo addresses, who a rehearsal may mail: addresses or "@domain"s, comma-separated. */
    REHEARSAL_MAIL_TO: z.string().default(''),
    /** A rehearsal against a relay on another machine (a real one) is refused unless this is "allow". */
    REHEARSAL_REAL_RELAY: z.enum(['refuse', 'allow']).default('refuse'),
    SMTP_CAPTURE_HTTP_PORT: port.default(8025),
    /** Development: the SMTP capture's HTTP address, shown to admins as the web app's 邮件 page. */
    MAILBOX_URL: urlWithProtocols(['http:', 'https:']).optional(),
    MAIL_FROM: z.string().min(3).default('督办 Duban <duban@localhost>'),
    /** The organisation that runs the supervision, named on the sign-in page and the page header. */
    ORG_NAME: z.string().trim().min(1).max(100).default('区政府督查室'),
    /** The system's name as the organisation calls it, on the sign-in page. */
    SYSTEM_NAME: z.string().trim().min(1).max(100).default('政府工作报告重点任务督办系统'),
    EMBEDDED_PG_PORT: port.default(54329),
    /** auto: the server on 127.0.0.1:5432 if it answers, else embedded; embedded: always embedded. */
    POSTGRES_PROVIDER: z.enum(['auto', 'embedded']).default('auto'),
    DUBAN_DATA_DIR: z.string().min(1).optional(),
    DUBAN_CACHE_DIR: z.string().min(1).optional(),
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** Workflows the worker keeps in memory between tasks; the rest replay from history when they wake. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
    HOME: z.string().optional(),
    XDG_CACHE_HOME: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // Production never falls back to servers on this machine.
    if (env.NODE_ENV !== 'production') return;
    if (env.DEV_IDENTITY_HEADER === 'on') {
      ctx.addIssue({ code: 'custom', path: ['DEV_IDENTITY_HEADER'], message: 'must be off when NODE_ENV=production' });
    }
    if (env.MAILBOX_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAILBOX_URL'],
        message: 'is for development only, not NODE_ENV=production',
      });
    }
    // Links in emails must point where people reach Duban, not at the API's own (internal) address.
    for (const variable of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'LINK_SECRET', 'PUBLIC_URL'] as const) {
      if (!env[variable]) ctx.addIssue({ code: 'custom', path: [variable], message: REQUIRED_IN_PRODUCTION });
    }
    // Whoever has the link secret can sign a deep link for anyone: it must not be guessable.
    if (env.LINK_SECRET && (estimatedBits(env.LINK_SECRET) < MIN_SECRET_BITS || PLACEHOLDER.test(env.LINK_SECRET))) {
      ctx.addIssue({
        code: 'custom',
        path: ['LINK_SECRET'],
        message:
          '过于简单（重复字符、示例或占位值），请用 `openssl rand -base64 32` 生成 / is too weak (repeated characters, an example or a placeholder): generate one with `openssl rand -base64 32`',
      });
    }
    // A password over plain SMTP without STARTTLS required travels in clear text to the relay.
    if (env.SMTP_URL) {
      const smtp = new URL(env.SMTP_URL);
      if (smtp.protocol === 'smtp:' && smtp.username && smtp.searchParams.get('starttls') !== 'required') {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_URL'],
          message:
            '带用户名密码的 smtp:// 须加 ?starttls=required 或改用 smtps://，否则密码明文传输 / carries a password over plain smtp://: add ?starttls=required or use smtps://, or the password travels unencrypted',
        });
      }
    }
  });

type RawConfig = z.infer<typeof configSchema>;

export interface DubanConfig {
  nodeEnv: RawConfig['NODE_ENV'];
  logLevel: RawConfig['LOG_LEVEL'];
  api: {
    host: string;
    port: number;
    devIdentityHeader: boolean;
    /** How long a person's action waits for a worker (then NO_WORKER, and it is never applied). */
    acceptSeconds: number;
    /** Express's `trust proxy`: false (the socket is the client), a hop count, or trusted proxies (names, addresses, CIDRs). */
    trustProxy: false | number | string[];
  };
  /** Base of the links in emails. */
  publicUrl: string;
  /** What the sign-in page and the page header name: the system and the organisation running it. */
  names: { system: string; organisation: string };
  /** Deep links: the signing secret (undefined → generated into dataDir) and their lifetime. */
  links: { secret: string | undefined; ttlDays: number };
  /** Set only when the operator chose a server; otherwise infra picks local or embedded. */
  databaseUrl: string | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    /** The task queue of this installation (default "duban"). */
    taskQueue: string;
    cliPath: string | undefined;
    /** dev: the CLI's development server; server: Temporal Server on PostgreSQL (when address is unset). */
    engine: 'dev' | 'server';
    /** The development server's frontend port, and Temporal Server's (history, matching, worker: +1, +2, +6). */
    devPort: number;
    uiPort: number;
    /** Temporal Server's databases and its first membership port. */
    server: { database: string; visibilityDatabase: string; membershipPortBase: number };
  };
  /** How many worker and API processes the start command runs (more than one API: behind an entry proxy). */
  processes: { workers: number; apis: number };
  smtp: {
    url: string | undefined;
    capturePort: number;
    captureHttpPort: number;
    from: string;
    /** The development capture's HTTP address (its 邮件 page), when one runs. */
    mailboxUrl: string | undefined;
    /** Addresses or "@domain"s besides the demo ones that a rehearsal may mail. */
    rehearsalAllow: string[];
    /** Whether a rehearsal may run while SMTP_URL is a relay on another machine. */
    rehearsalRealRelay: 'refuse' | 'allow';
  };
  embeddedPostgresPort: number;
  postgresProvider: 'auto' | 'embedded';
  /** Persistent state of dev components (Temporal's SQLite file, embedded PostgreSQL, captured mail). */
  dataDir: string;
  /** Built tools shared by every clone on the machine (the Temporal CLI). */
  cacheDir: string;
  workflowBundlePath: string;
  worker: { maxCachedWorkflows: number };
}

function toTrustProxy(value: string): DubanConfig['api']['trustProxy'] {
  if (value === 'off') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

export function toDubanConfig(raw: RawConfig, cwd: string): DubanConfig {
  const cacheHome = raw.XDG_CACHE_HOME ?? join(raw.HOME ?? homedir(), '.cache');
  return {
    nodeEnv: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    api: {
      host: raw.API_HOST,
      port: raw.API_PORT,
      devIdentityHeader: raw.DEV_IDENTITY_HEADER === 'on',
      acceptSeconds: raw.ACTION_ACCEPT_SECONDS,
      trustProxy: toTrustProxy(raw.TRUST_PROXY),
    },
    publicUrl: (raw.PUBLIC_URL ?? `http://${raw.API_HOST}:${raw.API_PORT}`).replace(/\/+$/, ''),
    names: { system: raw.SYSTEM_NAME, organisation: raw.ORG_NAME },
    links: { secret: raw.LINK_SECRET, ttlDays: raw.LINK_TTL_DAYS },
    databaseUrl: raw.DATABASE_URL,
    temporal: {
      address: raw.TEMPORAL_ADDRESS,
      namespace: raw.TEMPORAL_NAMESPACE,
      taskQueue: raw.TEMPORAL_TASK_QUEUE,
      cliPath: raw.TEMPORAL_CLI,
      engine: raw.DUBAN_TEMPORAL,
      devPort: raw.TEMPORAL_DEV_PORT,
      uiPort: raw.TEMPORAL_UI_PORT,
      server: {
        database: raw.TEMPORAL_DB,
        visibilityDatabase: raw.TEMPORAL_VISIBILITY_DB,
        membershipPortBase: raw.TEMPORAL_MEMBERSHIP_PORT,
      },
    },
    processes: {
      workers: raw.DUBAN_WORKERS ?? (raw.DUBAN_TEMPORAL === 'server' ? 2 : 1),
      apis: raw.DUBAN_API_PROCESSES ?? (raw.DUBAN_TEMPORAL === 'server' ? 2 : 1),
    },
    smtp: {
      url: raw.SMTP_URL,
      capturePort: raw.SMTP_CAPTURE_PORT,
      captureHttpPort: raw.SMTP_CAPTURE_HTTP_PORT,
      from: raw.MAIL_FROM,
      mailboxUrl: raw.MAILBOX_URL?.replace(/\/+$/, ''),
      rehearsalAllow: raw.REHEARSAL_MAIL_TO.split(/[,，\s]+/).filter(Boolean),
      rehearsalRealRelay: raw.REHEARSAL_REAL_RELAY,
    },
    embeddedPostgresPort: raw.EMBEDDED_PG_PORT,
    postgresProvider: raw.POSTGRES_PROVIDER,
    dataDir: resolve(cwd, raw.DUBAN_DATA_DIR ?? '.data'),
    cacheDir: resolve(cwd, raw.DUBAN_CACHE_DIR ?? join(cacheHome, 'duban')),
    workflowBundlePath: resolve(cwd, raw.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js'),
    worker: { maxCachedWorkflows: raw.WORKER_MAX_CACHED_WORKFLOWS },
  };
}

/**
 * Is mail relayed by a server on another machine (SMTP_URL naming a host
 * that is not loopback)? Then a rehearsal is refused unless
 * REHEARSAL_REAL_RELAY=allow: the relay is a real one, the mail would leave.
 */
export function mailLeavesThisMachine(config: Pick<DubanConfig, 'smtp'>): boolean {
  if (!config.smtp.url) return false; // the development capture
  const host = new URL(config.smtp.url).hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

/** Every environment variable Duban's configuration reads (for checking deployment files against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.shape);
