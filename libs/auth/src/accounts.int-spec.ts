/**
 * Local accounts against real PostgreSQL: argon2id hashes, sessions stored
 * only as hashes, the lockout after ten wrong passwords, the limit per
 * (address, login), an address that failed often paced but never shut out,
 * a password change ending the other sessions, users as an admin adds them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { upsertPerson } from '#directory';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { Accounts, addUser, setPassword } from './index.js';

const stack = readTestStack();
let dataSource: DataSource;
let accounts: Accounts;
const suffix = Date.now().toString(36);
const PASSWORD = 'correct horse battery';

async function codeOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'accepted',
    (error: { code?: string }) => error.code ?? String(error),
  );
}

async function person(label: string): Promise<string> {
  const id = `${label}.${suffix}`;
  // (Not a coordinator or supervisor: the demo directory of other tests adds those only where none exists.)
  await upsertPerson(dataSource, { id, name: label, email: `${id}@test.local`, roles: [{ role: 'admin' }] });
  await setPassword(dataSource, id, PASSWORD);
  return id;
}

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-accounts-int-spec');
  await dataSource.initialize();
  accounts = new Accounts(dataSource);
});

afterAll(async () => {
  await dataSource.destroy();
});

describe('accounts', () => {
  it('store an argon2id hash, sign in by id or email, and keep only a hash of the session token', async () => {
    const id = await person('alice');
    const [{ hash }] = await dataSource.query(`SELECT password_hash AS hash FROM credential WHERE person_id = $1`, [
      id,
    ]);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(PASSWORD);
    const signed = await accounts.signIn(id, PASSWORD, { address: 'a1' });
    expect(signed.person).toMatchObject({ personId: id, roles: [{ role: 'admin', unitId: null }] });
    const byEmail = await accounts.signIn(`${id}@TEST.local`, PASSWORD, { address: 'a1' });
    expect((await accounts.sessionPerson(byEmail.token))!.personId).toBe(id);
    const stored = await dataSource.query(`SELECT token_hash FROM session WHERE person_id = $1`, [id]);
    expect(stored).toHaveLength(2);
    expect(stored.map((s: { token_hash: string }) => s.token_hash)).not.toContain(signed.token);
    await accounts.signOut(signed.token);
    expect(await accounts.sessionPerson(signed.token)).toBeNull();
    expect(await accounts.sessionPerson('forged-token')).toBeNull();
  });

  it('answer a wrong password and an unknown user alike, and lock after ten wrong passwords in a row from anywhere', async () => {
    const id = await person('bob');
    expect(await codeOf(accounts.signIn(`nobody.${suffix}`, PASSWORD, { address: 'b1' }))).toBe('LOGIN_FAILED');
    for (let i = 0; i < 10; i += 1) {
      expect(await codeOf(accounts.signIn(id, 'wrong password', { address: `b${i}` }))).toBe('LOGIN_FAILED');
    }
    // Locked: even the right password is refused until the lock runs out.
    const locked = await accounts.signIn(id, PASSWORD, { address: 'b99' }).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'LOGIN_LOCKED', details: { retryAfterSeconds: expect.any(Number) } });
    await dataSource.query(`UPDATE credential SET locked_until = now() - interval '1 second' WHERE person_id = $1`, [
      id,
    ]);
    expect((await accounts.signIn(id, PASSWORD, { address: 'b99' })).person.personId).toBe(id);
    const [{ failed }] = await dataSource.query(
      `SELECT failed_attempts AS failed FROM credential WHERE person_id = $1`,
      [id],
    );
    expect(failed).toBe(0);
  });

  it('let the owner in from an address the account used before while guessers have it locked', async () => {
    const id = await person('carol');
    // Carol signs in at her office once; guessers then lock the account from ten other addresses.
    expect((await accounts.signIn(id, PASSWORD, { address: 'office' })).person.personId).toBe(id);
    for (let i = 0; i < 10; i += 1) {
      expect(await codeOf(accounts.signIn(id, 'wrong password', { address: `g${i}` }))).toBe('LOGIN_FAILED');
    }
    expect(await codeOf(accounts.signIn(id, PASSWORD, { address: 'elsewhere' }))).toBe('LOGIN_LOCKED');
    // A guess from her office address does not get in; her own password does, and the lock stays for the others.
    expect(await codeOf(accounts.signIn(id, 'another wrong one', { address: 'office' }))).toBe('LOGIN_LOCKED');
    expect((await accounts.signIn(id, PASSWORD, { address: 'office' })).person.personId).toBe(id);
    expect(await codeOf(accounts.signIn(id, PASSWORD, { address: 'elsewhere' }))).toBe('LOGIN_LOCKED');
  });

  it('lock an unknown login as it would an account, so that a lock tells nobody who exists', async () => {
    const nobody = `nobody.${suffix}@test.local`;
    for (let i = 0; i < 10; i += 1) {
      expect(await codeOf(accounts.signIn(nobody, 'wrong password', { address: `n${i}` }))).toBe('LOGIN_FAILED');
    }
    expect(await codeOf(accounts.signIn(nobody, 'wrong password', { address: 'n99' }))).toBe('LOGIN_LOCKED');
  });

  it('refuse one address further tries at one login after five failures, and only that pair', async () => {
    const limited = new Accounts(dataSource);
    const [carol, colleague] = [await person('carol'), await person('carol-colleague')];
    // Guesses sent at once cannot pass the limit together.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => codeOf(limited.signIn(carol, `guess ${i} at it`, { address: 'c1' }))),
    );
    expect(burst.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(5);
    expect(burst.filter((c) => c === 'LOGIN_RATE_LIMITED')).toHaveLength(3);
    const refused = await limited.signIn(carol, PASSWORD, { address: 'c1' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'LOGIN_RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    // The account is not locked: the person gets in from elsewhere, and a colleague from the same address.
    expect((await limited.signIn(carol, PASSWORD, { address: 'c2' })).person.personId).toBe(carol);
    expect((await limited.signIn(colleague, PASSWORD, { address: 'c1' })).person.personId).toBe(colleague);
  });

  it('let a right password in from an address that failed twenty times across accounts, pacing its tries', async () => {
    const paceMs = 400;
    const limited = new Accounts(dataSource, { paceMs });
    for (let i = 0; i < 20; i += 1) {
      expect(await codeOf(limited.signIn(`guess${i}.${suffix}`, 'x'.repeat(12), { address: 'nat' }))).toBe(
        'LOGIN_FAILED',
      );
    }
    const id = await person('dora');
    // The office behind the same NAT still signs in.
    expect((await limited.signIn(id, PASSWORD, { address: 'nat' })).person.personId).toBe(id);
    // A guesser there is slowed to one try per pace: three tries at once take at least two paces.
    const started = Date.now();
    const codes = await Promise.all(
      [1, 2, 3].map((i) => codeOf(limited.signIn(`again${i}.${suffix}`, 'x'.repeat(12), { address: 'nat' }))),
    );
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * paceMs);
  });

  it('let the owner’s browser in while a colleague at the same address has the login limited', async () => {
    const limited = new Accounts(dataSource);
    const hana = await person('hana');
    const own = await limited.signIn(hana, PASSWORD, { address: 'office' });
    expect(own.device).toMatch(/^[\w-]{43}$/);
    for (let i = 0; i < 5; i += 1) {
      expect(await codeOf(limited.signIn(hana, `guess ${i} at it`, { address: 'office' }))).toBe('LOGIN_FAILED');
    }
    expect(await codeOf(limited.signIn(hana, PASSWORD, { address: 'office' }))).toBe('LOGIN_RATE_LIMITED');
    expect(await codeOf(limited.signIn(hana, PASSWORD, { address: 'office', device: 'forged'.padEnd(43, 'x') }))).toBe(
      'LOGIN_RATE_LIMITED',
    );
    const again = await limited.signIn(hana, PASSWORD, { address: 'office', device: own.device });
    expect([again.person.personId, again.device]).toEqual([hana, own.device]);
  });

  it('give the owner’s browser a few tries through a lock, not a way around it, and vouch for its own account only', async () => {
    const limited = new Accounts(dataSource);
    const [ivy, jack] = [await person('ivy'), await person('jack')];
    const ivyBrowser = (await limited.signIn(ivy, PASSWORD, { address: 'desk-ivy' })).device;
    const jackBrowser = (await limited.signIn(jack, PASSWORD, { address: 'desk-jack' })).device;
    for (let i = 0; i < 10; i += 1) await codeOf(limited.signIn(ivy, `guess ${i} at it`, { address: `far${i}` }));
    // Jack's browser does not vouch for Ivy's account.
    expect(await codeOf(limited.signIn(ivy, PASSWORD, { address: 'hall', device: jackBrowser }))).toBe('LOGIN_LOCKED');
    // At Ivy's browser, wrong guesses through the lock run out after three, and then the lock holds for all.
    for (let i = 0; i < 3; i += 1) {
      expect(await codeOf(limited.signIn(ivy, `again ${i}`, { address: 'hall', device: ivyBrowser }))).toBe(
        'LOGIN_LOCKED',
      );
    }
    expect(await codeOf(limited.signIn(ivy, PASSWORD, { address: 'hall', device: ivyBrowser }))).toBe('LOGIN_LOCKED');
  });

  it('tell nothing of who exists by the (address, login) limit: an id and an email count apart, as any two logins', async () => {
    const limited = new Accounts(dataSource);
    const fred = await person('fred');
    const probe = async (first: string, second: string, address: string) => {
      for (let i = 0; i < 5; i += 1) await codeOf(limited.signIn(first, 'x'.repeat(12), { address }));
      return codeOf(limited.signIn(second, 'x'.repeat(12), { address }));
    };
    expect(await probe(fred, `${fred}@test.local`, 'e1')).toBe('LOGIN_FAILED');
    expect(await probe(`ghost.${suffix}`, `ghost.${suffix}@test.local`, 'e2')).toBe('LOGIN_FAILED');
  });

  it('answer at once, not after a growing wait, when too many sign-ins from one paced address wait', async () => {
    const limited = new Accounts(dataSource, { paceMs: 2000 });
    for (let i = 0; i < 20; i += 1)
      await codeOf(limited.signIn(`flood${i}.${suffix}`, 'x'.repeat(12), { address: 'f' }));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limited.signIn(`queued${i}.${suffix}`, 'x'.repeat(12), { address: 'f' }).catch((e: unknown) => e),
      ),
    );
    const limitedNow = answers.filter((a) => (a as { code?: string }).code === 'LOGIN_RATE_LIMITED');
    expect(limitedNow.length).toBeGreaterThanOrEqual(1);
    expect(limitedNow.length + answers.filter((a) => (a as { code?: string }).code === 'LOGIN_FAILED').length).toBe(10);
    expect(limitedNow[0]).toMatchObject({ details: { retryAfterSeconds: expect.any(Number) } });
  }, 60_000);

  it('count a wrong current password at a password change as a wrong sign-in', async () => {
    const gina = await person('gina');
    const session = await accounts.signIn(gina, PASSWORD, { address: 'g1' });
    for (let i = 0; i < 10; i += 1) {
      expect(
        await codeOf(accounts.changePassword(gina, `guess ${i} at it`, 'a new long password', session.token)),
      ).toBe('LOGIN_FAILED');
    }
    expect(await codeOf(accounts.changePassword(gina, PASSWORD, 'a new long password', session.token))).toBe(
      'LOGIN_LOCKED',
    );
  });

  it('keeps counting a bounded number of (address, login) pairs, forgetting the oldest first', async () => {
    const bounded = new Accounts(dataSource, { trackedKeys: 2 });
    const guess = (address: string) => codeOf(bounded.signIn(`guess.${suffix}`, 'x'.repeat(12), { address }));
    for (let i = 0; i < 5; i += 1) await guess('d1');
    expect(await guess('d1')).toBe('LOGIN_RATE_LIMITED');
    await guess('d2');
    await guess('d3'); // a third pair: d1's, the oldest, is forgotten
    expect(await guess('d1')).toBe('LOGIN_FAILED');
  });

  it('change a password only with the current one, to a long enough new one, ending the other sessions', async () => {
    const id = await person('dave');
    const here = await accounts.signIn(id, PASSWORD, { address: 'd1' });
    const elsewhere = await accounts.signIn(id, PASSWORD, { address: 'd2' });
    expect(await codeOf(accounts.changePassword(id, 'not it at all', 'a new long password', here.token))).toBe(
      'LOGIN_FAILED',
    );
    expect(await codeOf(accounts.changePassword(id, PASSWORD, 'short', here.token))).toBe('WEAK_PASSWORD');
    await accounts.changePassword(id, PASSWORD, 'a new long password', here.token);
    expect(await accounts.sessionPerson(here.token)).not.toBeNull();
    expect(await accounts.sessionPerson(elsewhere.token)).toBeNull();
    expect(await codeOf(accounts.signIn(id, PASSWORD, { address: 'd1' }))).toBe('LOGIN_FAILED');
    expect((await accounts.signIn(id, 'a new long password', { address: 'd1' })).person.personId).toBe(id);
  });

  it('let an admin add a user with unit roles and a temporary password to change', async () => {
    const [{ name: unit }] = await dataSource.query(`INSERT INTO unit (name) VALUES ($1) RETURNING name`, [
      `区测试局${suffix}`,
    ]);
    const added = await addUser(
      dataSource,
      {
        id: `erin.${suffix}`,
        name: '王芳',
        email: `erin.${suffix}@test.local`,
        roles: [{ role: 'reporter', unit }, { role: 'admin' }],
      },
      'an-admin',
    );
    expect(added.password).toEqual(expect.any(String));
    // Recorded with its actor; the password itself never is.
    const trail = (await dataSource.query(
      `SELECT actor_id AS "actorId", action, details::text AS details FROM audit_event WHERE subject = $1 ORDER BY id`,
      [`person:erin.${suffix}`],
    )) as { actorId: string; action: string; details: string }[];
    expect(trail.map((e) => [e.actorId, e.action])).toEqual([
      ['an-admin', 'user.added'],
      ['an-admin', 'password.set'],
    ]);
    expect(trail.map((e) => e.details).join()).not.toContain(added.password!);
    const signed = await accounts.signIn(added.id, added.password!, { address: 'e1' });
    expect(signed.mustChange).toBe(true);
    expect(signed.person.roles).toEqual(
      expect.arrayContaining([
        { role: 'reporter', unitId: expect.any(String), unitName: unit },
        { role: 'admin', unitId: null, unitName: null },
      ]),
    );
    expect(
      await codeOf(
        addUser(dataSource, { id: 'Bad Id', name: 'x', email: 'x@test.local', roles: [{ role: 'admin' }] }, null),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(
        addUser(
          dataSource,
          {
            id: `frank.${suffix}`,
            name: 'x',
            email: 'x@test.local',
            roles: [{ role: 'reporter', unit: '不存在的局' }],
          },
          null,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(await dataSource.query(`SELECT 1 FROM person WHERE id = $1`, [`frank.${suffix}`])).toEqual([]);

    // Changed again: exactly the roles given, the password and the session kept.
    const changed = await addUser(
      dataSource,
      { id: added.id, name: '王芳', email: `erin.${suffix}@test.local`, roles: [{ role: 'reporter', unit }] },
      'an-admin',
    );
    expect(changed).toEqual({ id: added.id });
    expect((await accounts.sessionPerson(signed.token))?.roles).toEqual([
      { role: 'reporter', unitId: expect.any(String), unitName: unit },
    ]);
    expect((await accounts.signIn(added.id, added.password!, { address: 'e2' })).person.personId).toBe(added.id);
  });

  it('list everyone once, by id, each as one person reads', async () => {
    const [zed, amy] = [await person('zed'), await person('amy')];
    const people = await accounts.people();
    const listed = people.map((p) => p.personId);
    // (Other suites add people meanwhile: only these two are known here.)
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.indexOf(amy)).toBeGreaterThanOrEqual(0);
    expect(listed.indexOf(amy)).toBeLessThan(listed.indexOf(zed));
    for (const id of [zed, amy]) expect(people.find((p) => p.personId === id)).toEqual(await accounts.person(id));
  });
});
