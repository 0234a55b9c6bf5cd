/**
 * Local accounts over the unit directory: a person (`person.id` is the login;
 * the email works too) signs in with a password hashed with argon2id and
 * gets a session — a random token in an httpOnly cookie, of which only a
 * SHA-256 hash is stored. Guessing is limited three ways, none of which
 * shuts out a whole office behind one address (a NAT, the reverse proxy):
 * - per account: ten wrong passwords in a row, from anywhere, lock it for
 *   fifteen minutes (durable, in PostgreSQL) — except that its owner's right
 *   password is still admitted from an address the account signed in from
 *   before (the last ten, kept), so guessers cannot shut a person out; an
 *   unknown login locks the same way (this process), so a lock tells nobody
 *   which accounts exist;
 * - per (client address, login as typed): five failures in fifteen minutes
 *   refuse that address further tries at that login only (this process, in
 *   memory) — except from a browser the account signed in from before (its
 *   device cookie), so a colleague guessing behind the same office address
 *   cannot shut the owner out;
 * - per client address: beyond twenty failures in fifteen minutes, its
 *   sign-ins are taken one at a time, one a second — a right password still
 *   gets in, only a little later; at most five wait at once (more: 429 at
 *   once), so a flood cannot make the wait grow without end; a known
 *   device is not paced.
 * The client address is the one Express derives under TRUST_PROXY.
 * The seam for single sign-on later: an OIDC callback would call
 * `openSession` for the person it resolved, and nothing else changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import { DomainError } from '#domain';
import { returnedRows } from '#persistence';

export const SESSION_COOKIE = 'duban_session';
export const MIN_PASSWORD_LENGTH = 10;
/** Wrong passwords in a row, from any address, that lock an account. */
const LOCK_AFTER_FAILURES = 10;
const LOCK_MINUTES = 15;
/** Failures of one login from one address per window before that pair is refused. */
const PER_LOGIN_AND_ADDRESS_FAILURES = 5;
/** Failures from one address per window (across logins) beyond which its sign-ins are paced. */
const PER_ADDRESS_FAILURES = 20;
const WINDOW_MS = LOCK_MINUTES * 60_000;
/** Client addresses remembered per account, newest first: a right password from one passes a lock. */
const KNOWN_ADDRESSES = 10;
/** Device cookies remembered per account (hashes of cookie and account together), newest first. */
const KNOWN_DEVICES = 10;
/** Tries a locked account's owner has per window from a known address or browser. */
const OWNER_TRIES_WHILE_LOCKED = 3;
/** Sign-ins of one address waiting for their turn at once; beyond, refused at once. */
const MAX_WAITING = 5;
/** The long-lived cookie that names a browser an account signed in from (its hash is kept with the account). */
export const DEVICE_COOKIE = 'duban_device';

export interface SignedIn {
  personId: string;
  name: string;
  email: string;
  language: 'zh-CN' | 'en';
  /** A supervisor scoped to categories of a plan has one role per category (categoryId, categoryName). */
  roles: { role: string; unitId: string | null; unitName: string | null; categoryId?: string; categoryName?: string }[];
  /** Signed in with a password someone else set: pick one's own first. */
  mustChange: boolean;
  /** False: deactivated (kept for the audit trail; only the admin's list of users shows them). */
  active: boolean;
}

function lockedError(retryAfterSeconds: number): DomainError {
  return new DomainError(
    'LOGIN_LOCKED',
    '密码错误次数过多，账号已暂时锁定',
    'too many wrong passwords: the account is locked for now',
    {
      retryAfterSeconds,
    },
  );
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function checkPasswordPolicy(
  password: unknown,
  [zh, en]: readonly [zh: string, en: string] = ['密码', 'the password'],
): asserts password is string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError(
      'WEAK_PASSWORD',
      `${zh}至少 ${MIN_PASSWORD_LENGTH} 个字符`,
      `${en} must be at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if (password.length > 200) throw new DomainError('WEAK_PASSWORD', `${zh}过长`, `${en} is too long`);
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * Sets (or replaces) a person's password and ends their sessions (all, or all
 * but `keepToken`'s); `mustChange` asks them to pick their own at next sign-in.
 */
export async function setPassword(
  db: DataSource | EntityManager,
  personId: string,
  password: string,
  options: {
    mustChange?: boolean;
    keepToken?: string;
    /** Who set it, for the audit trail (null: the command line); the person themselves when absent. */
    actorId?: string | null;
  } = {},
): Promise<void> {
  checkPasswordPolicy(password);
  const exists = (await db.query(`SELECT 1 FROM person WHERE id = $1`, [personId])) as unknown[];
  if (exists.length === 0) throw new DomainError('NOT_FOUND', `没有用户 ${personId}`, `No user ${personId}`);
  await db.query(
    `INSERT INTO credential (person_id, password_hash, must_change) VALUES ($1, $2, $3)
     ON CONFLICT (person_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, must_change = EXCLUDED.must_change,
            changed_at = now(), failed_attempts = 0, locked_until = NULL`,
    [personId, await hashPassword(password), options.mustChange ?? false],
  );
  await db.query(`DELETE FROM session WHERE person_id = $1 AND token_hash <> $2`, [
    personId,
    options.keepToken ? tokenHash(options.keepToken) : '',
  ]);
  const actorId = options.actorId === undefined ? personId : options.actorId;
  await audit(db, actorId, actorId === personId ? 'password.changed' : 'password.set', `person:${personId}`, {
    mustChange: options.mustChange ?? false,
  });
}

/** People with their roles, one row per person once grouped by p.id (`person` and `people` add the rest). */
const PEOPLE = `SELECT p.id AS "personId", p.name, p.email, p.language,
       COALESCE(json_agg(CASE WHEN r.category_id IS NULL
                              THEN json_build_object('role', r.role, 'unitId', r.unit_id, 'unitName', u.name)
                              ELSE json_build_object('role', r.role, 'unitId', r.unit_id, 'unitName', u.name,
                                                     'categoryId', r.category_id, 'categoryName', k.name) END
                         ORDER BY r.role, u.name, k.name) FILTER (WHERE r.role IS NOT NULL), '[]') AS roles,
       COALESCE(bool_or(c.must_change), false) AS "mustChange", (p.deactivated_at IS NULL) AS active
  FROM person p LEFT JOIN person_role r ON r.person_id = p.id LEFT JOIN unit u ON u.id = r.unit_id
  LEFT JOIN category k ON k.id = r.category_id
  LEFT JOIN credential c ON c.person_id = p.id`;

/**
 * Failures per key in a fixed window that starts with the key's first failure,
 * for at most `capacity` keys at once: ended windows are forgotten first, then
 * the oldest (so a flood of addresses cannot grow it without end). In memory.
 */
class FailureWindows {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(private readonly capacity: number) {}

  /** Failures counted for `key` in its current window (0 when it has ended). */
  count(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (entry && now - entry.since >= WINDOW_MS) this.entries.delete(key);
    return this.entries.get(key)?.count ?? 0;
  }

  /** Seconds until `key`'s window ends (≥ 1). */
  retryAfterSeconds(key: string, now: number): number {
    const since = this.entries.get(key)?.since ?? now;
    return Math.max(1, Math.ceil((since + WINDOW_MS - now) / 1000));
  }

  add(key: string, now: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.capacity) {
      for (const [k, entry] of this.entries) if (now - entry.since >= WINDOW_MS) this.entries.delete(k);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    const entry = this.entries.get(key) ?? { count: 0, since: now };
    if (now - entry.since >= WINDOW_MS) Object.assign(entry, { count: 0, since: now });
    entry.count += 1;
    this.entries.set(key, entry);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}

export interface AccountsOptions {
  /** How long a session lasts (default 12). */
  sessionHours?: number;
  /** Keys (addresses, address+login pairs) each limit counts at once; beyond it the oldest are forgotten. Default 10,000. */
  trackedKeys?: number;
  /** Milliseconds between two sign-ins from an address over its failure limit (default 1000). */
  paceMs?: number;
}

export class Accounts {
  /** Failed sign-ins per (client address, login) and per client address, in the current window (this process). */
  private readonly byLogin: FailureWindows;
  private readonly byAddress: FailureWindows;
  /** Failures of logins no account has, by login: they lock like an account's. */
  private readonly byUnknownLogin: FailureWindows;
  /** Tries through a lock from a known address or browser, by account. */
  private readonly byOwnerTries: FailureWindows;
  /** For an address over its limit: the earliest time its next sign-in is taken (epoch ms). */
  private readonly nextTurn = new Map<string, number>();
  private readonly sessionHours: number;
  private readonly paceMs: number;

  constructor(
    private readonly dataSource: DataSource,
    options: AccountsOptions = {},
  ) {
    this.sessionHours = options.sessionHours ?? 12;
    this.paceMs = options.paceMs ?? 1000;
    this.byLogin = new FailureWindows(options.trackedKeys ?? 10_000);
    this.byAddress = new FailureWindows(options.trackedKeys ?? 10_000);
    this.byUnknownLogin = new FailureWindows(options.trackedKeys ?? 10_000);
    this.byOwnerTries = new FailureWindows(options.trackedKeys ?? 10_000);
  }

  private refuse(): never {
    throw new DomainError('LOGIN_FAILED', '用户名或密码错误', 'wrong user name or password');
  }

  /**
   * Waits for the address's turn when it is over its failure limit: one sign-in per `paceMs`, in arrival order.
   * Never refuses, so a colleague behind the same address with the right password still gets in.
   */
  private async pace(address: string): Promise<void> {
    const now = Date.now();
    if (this.byAddress.count(address, now) < PER_ADDRESS_FAILURES) return;
    for (const [key, at] of this.nextTurn) if (at < now) this.nextTurn.delete(key);
    const turn = Math.max(now, this.nextTurn.get(address) ?? 0);
    const waiting = Math.ceil((turn - now) / this.paceMs);
    if (waiting >= MAX_WAITING) {
      throw new DomainError(
        'LOGIN_RATE_LIMITED',
        '此地址的登录请求过多，请稍后再试',
        'too many sign-ins from this address at once; try again shortly',
        { retryAfterSeconds: Math.ceil((turn - now) / 1000) },
      );
    }
    this.nextTurn.set(address, turn + this.paceMs);
    if (turn > now) await new Promise((resolve) => setTimeout(resolve, turn - now));
  }

  /**
   * Checks the password and opens a session; answers the token for the cookie.
   * `client.address` is the client's IP as Express gives it (TRUST_PROXY decides whether a proxy may name it).
   * Errors (DomainError): INVALID_INPUT, LOGIN_FAILED (wrong login or password, alike), LOGIN_LOCKED (the
   * account, details.retryAfterSeconds), LOGIN_RATE_LIMITED (this login from this address, details.retryAfterSeconds).
   */
  async signIn(
    login: string,
    password: string,
    /** The browser's device cookie, if it carries one. */
    client: { address: string; userAgent?: string; device?: string },
  ): Promise<{ token: string; expiresAt: Date; person: SignedIn; mustChange: boolean; device: string }> {
    if (typeof login !== 'string' || typeof password !== 'string' || !login || !password) {
      throw new DomainError('INVALID_INPUT', '请输入用户名和密码', 'enter a user name and a password');
    }
    const rows = (await this.dataSource.query(
      `SELECT p.id, c.password_hash AS "passwordHash", c.must_change AS "mustChange",
              c.locked_until > now() AS locked, c.locked_until AS "lockedUntil",
              $2 = ANY(c.known_addresses) AS "knownAddress",
              encode(sha256(convert_to($3 || chr(10) || p.id, 'UTF8')), 'hex') = ANY(c.known_devices) AS "knownDevice"
         FROM person p LEFT JOIN credential c ON c.person_id = p.id
        WHERE (p.id = $1 OR lower(p.email) = lower($1)) AND p.deactivated_at IS NULL
        ORDER BY (p.id = $1) DESC LIMIT 1`,
      [login.trim(), client.address, client.device ?? null],
    )) as {
      id: string;
      passwordHash: string | null;
      mustChange: boolean;
      locked: boolean;
      lockedUntil: Date;
      knownAddress: boolean | null;
      knownDevice: boolean | null;
    }[];
    const row = rows[0];
    // A browser this account signed in from before is its owner's, as far as limits go: not paced, not refused.
    const knownDevice = row?.knownDevice === true;
    if (!knownDevice) await this.pace(client.address);
    // Keyed by the login as typed (id or email alike), so the limit tells nothing about who exists.
    const pair = `${client.address}\n${login.trim().toLowerCase()}`;
    const now = Date.now();
    if (!knownDevice && this.byLogin.count(pair, now) >= PER_LOGIN_AND_ADDRESS_FAILURES) {
      throw new DomainError(
        'LOGIN_RATE_LIMITED',
        '该账号从此地址登录失败次数过多，请稍后再试',
        'too many failed sign-ins to this account from this address; try again later',
        { retryAfterSeconds: this.byLogin.retryAfterSeconds(pair, now) },
      );
    }
    // Counted before the (slow) check, so guesses sent at once cannot pass the limit together; a success clears it.
    this.byLogin.add(pair, now);
    const unknownKey = login.trim().toLowerCase();
    if (row?.locked) {
      // Its owner, at a computer or browser the account used before, still gets in with the right password —
      // a few tries per window, not a way around the lock for whoever sits at that computer.
      const lockedFor = Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000);
      if (!(row.knownAddress || knownDevice) || this.byOwnerTries.count(row.id, now) >= OWNER_TRIES_WHILE_LOCKED) {
        throw lockedError(lockedFor);
      }
      this.byOwnerTries.add(row.id, now);
      if (!(await verify(row.passwordHash ?? DUMMY_HASH, password).catch(() => false))) throw lockedError(lockedFor);
      this.byLogin.clear(pair);
      return this.admit(row.id, row.mustChange, client);
    }
    // An unknown login locks as an account would: a lock must not tell which accounts exist.
    if (!row?.passwordHash && this.byUnknownLogin.count(unknownKey, now) >= LOCK_AFTER_FAILURES) {
      throw lockedError(this.byUnknownLogin.retryAfterSeconds(unknownKey, now));
    }
    // The attempt counts before the (slow) check, so guesses sent at once cannot pass the limit together;
    // a lock that has run out starts the count again. A right password resets it below.
    if (row?.passwordHash) {
      const counted = (await this.dataSource.query(
        `UPDATE credential SET
                failed_attempts = CASE WHEN locked_until <= now() THEN 1 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN (CASE WHEN locked_until <= now() THEN 1 ELSE failed_attempts + 1 END) >= $2
                                    THEN now() + make_interval(mins => $3) END
          WHERE person_id = $1 RETURNING failed_attempts AS attempts`,
        [row.id, LOCK_AFTER_FAILURES, LOCK_MINUTES],
      )) as unknown[];
      const [{ attempts }] = returnedRows<{ attempts: number }>(counted) as [{ attempts: number }];
      if (attempts > LOCK_AFTER_FAILURES) throw lockedError(LOCK_MINUTES * 60);
    }
    // Verify against a real hash even for an unknown user, so timing does not tell who exists.
    const ok = await verify(row?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    if (!row?.passwordHash || !ok) {
      this.byAddress.add(client.address, Date.now());
      if (!row?.passwordHash) this.byUnknownLogin.add(unknownKey, Date.now());
      this.refuse();
    }
    this.byLogin.clear(pair);
    await this.dataSource.query(`UPDATE credential SET failed_attempts = 0, locked_until = NULL WHERE person_id = $1`, [
      row.id,
    ]);
    return this.admit(row.id, row.mustChange, client);
  }

  /**
   * Opens a session for a person whose password was right, and remembers this
   * address and this browser (its device cookie: kept, or a new one) as the
   * account's (newest first, the last ten of each). The cookie is kept hashed
   * with the account's id: a browser two people share vouches for each only
   * with the account that signed in there.
   */
  private async admit(
    personId: string,
    mustChange: boolean,
    client: { address: string; userAgent?: string; device?: string },
  ): Promise<{ token: string; expiresAt: Date; person: SignedIn; mustChange: boolean; device: string }> {
    const device =
      client.device && /^[\w-]{43}$/.test(client.device) ? client.device : randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `UPDATE credential SET
              known_addresses = (array_prepend($2::text, array_remove(known_addresses, $2::text)))[1:$3],
              known_devices = (array_prepend($4::text, array_remove(known_devices, $4::text)))[1:$5]
        WHERE person_id = $1`,
      [personId, client.address, KNOWN_ADDRESSES, tokenHash(`${device}\n${personId}`), KNOWN_DEVICES],
    );
    const opened = await this.openSession(personId, client.userAgent);
    return { ...opened, person: (await this.person(personId))!, mustChange, device };
  }

  /** A new session for a person (after a password check, or later an SSO callback). */
  async openSession(personId: string, userAgent?: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionHours * 3_600_000);
    await this.dataSource.query(
      `INSERT INTO session (token_hash, person_id, expires_at, user_agent) VALUES ($1, $2, $3, $4)`,
      [tokenHash(token), personId, expiresAt, userAgent?.slice(0, 300) ?? null],
    );
    return { token, expiresAt };
  }

  /** The person a session token stands for, or null (unknown, expired). */
  async sessionPerson(token: string | undefined): Promise<SignedIn | null> {
    if (!token) return null;
    const rows = (await this.dataSource.query(
      `UPDATE session SET last_seen_at = now() WHERE token_hash = $1 AND expires_at > now() RETURNING person_id AS "personId"`,
      [tokenHash(token)],
    )) as unknown[];
    const found = returnedRows<{ personId: string }>(rows);
    return found[0] ? this.person(found[0].personId) : null;
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.dataSource.query(`DELETE FROM session WHERE token_hash = $1`, [tokenHash(token)]);
  }

  /** Changes one's own password (the current one is checked) and ends the person's other sessions. */
  async changePassword(personId: string, current: string, next: string, keepToken?: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT password_hash AS "passwordHash" FROM credential WHERE person_id = $1`,
      [personId],
    )) as { passwordHash: string }[];
    const [locked] = (await this.dataSource.query(
      `SELECT locked_until AS "lockedUntil" FROM credential WHERE person_id = $1 AND locked_until > now()`,
      [personId],
    )) as { lockedUntil: Date }[];
    if (locked) throw lockedError(Math.ceil((locked.lockedUntil.getTime() - Date.now()) / 1000));
    if (!rows[0] || typeof current !== 'string' || !(await verify(rows[0].passwordHash, current).catch(() => false))) {
      // A wrong current password counts as a wrong sign-in: a stolen session cannot guess the password freely.
      await this.dataSource.query(
        `UPDATE credential SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) END
          WHERE person_id = $1`,
        [personId, LOCK_AFTER_FAILURES, LOCK_MINUTES],
      );
      throw new DomainError('LOGIN_FAILED', '当前密码错误', 'the current password is wrong');
    }
    checkPasswordPolicy(next, ['新密码', 'the new password']);
    if (next === current) {
      throw new DomainError(
        'WEAK_PASSWORD',
        '新密码不能与当前密码相同',
        'the new password must differ from the current one',
      );
    }
    await setPassword(this.dataSource, personId, next, { keepToken });
  }

  /** A person of the directory with their roles (units and categories named), or null when there is none. */
  async person(personId: string): Promise<SignedIn | null> {
    // A deactivated person is nobody here: no session, no header identity, no sign-in.
    const rows = (await this.dataSource.query(`${PEOPLE} WHERE p.id = $1 AND p.deactivated_at IS NULL GROUP BY p.id`, [
      personId,
    ])) as SignedIn[];
    return rows[0] ?? null;
  }

  /** Everyone in the directory, by id, each as `person` answers them (an admin's list of users). */
  async people(): Promise<SignedIn[]> {
    return (await this.dataSource.query(`${PEOPLE} GROUP BY p.id ORDER BY p.id`)) as SignedIn[];
  }
}

/** A valid argon2id hash of a random secret, checked when the user is unknown. */
const DUMMY_HASH = await hash(randomBytes(16).toString('hex'));
