/**
 * Sign-in over HTTP against the running API: the session cookie, the limits
 * per account and per (address, login) answered with 429 and Retry-After,
 * an office behind one address never shut out, the client address named by a
 * trusted proxy only, the security headers, admin-only user management, password
 * change, sign-out; and in production the X-Duban-User header (the
 * development seam from before sign-in) is ignored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { upsertPerson } from '#directory';
import { createDataSource } from '#persistence';
import { waitForHealthy, type ManagedProcess } from '../infra/dev/processes.js';
import { readTestStack, startTestApi } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-auth-e2e-'));
const processes: ManagedProcess[] = [];
const suffix = Date.now().toString(36);
const ADMIN = `admin.${suffix}`;
const PASSWORD = 'an admin password';
let dataSource: DataSource;
let dev: string;
let production: string;
/** An API behind a (pretend) reverse proxy on loopback, trusted to name the client in X-Forwarded-For. */
let proxied: string;
let unit: string;

async function api(logs: string, overrides: Record<string, string> = {}): Promise<string> {
  const { api, url } = await startTestApi(logs, overrides);
  processes.push(api);
  // (No worker here: the API's own dependencies are what these tests need.)
  await waitForHealthy(`${url}/health/api`, 60_000, () => (api.child.exitCode !== null ? 'api exited' : undefined));
  return url;
}

async function signIn(base: string, login: string, password: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ login, password }),
  });
}

function cookieOf(response: Response): string {
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-auth-e2e');
  await dataSource.initialize();
  await upsertPerson(dataSource, {
    id: ADMIN,
    name: '管理员',
    email: `${ADMIN}@test.local`,
    roles: [{ role: 'admin' }],
  });
  await setPassword(dataSource, ADMIN, PASSWORD);
  [{ name: unit }] = await dataSource.query(`INSERT INTO unit (name) VALUES ($1) RETURNING name`, [
    `区登录局${suffix}`,
  ]);
  [dev, production, proxied] = await Promise.all([
    api(logDir),
    api(logDir, {
      NODE_ENV: 'production',
      LINK_SECRET: randomBytes(32).toString('base64'),
      PUBLIC_URL: 'https://duban.test.local',
      DEV_IDENTITY_HEADER: 'off',
    }),
    api(logDir, { TRUST_PROXY: 'loopback' }),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

describe('signing in', () => {
  it('sets an httpOnly SameSite session cookie, answers who is signed in, and signs out', async () => {
    const wrong = await signIn(dev, ADMIN, 'not the password');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'LOGIN_FAILED', message: '用户名或密码错误' });

    const ok = await signIn(dev, ADMIN, PASSWORD);
    expect(ok.status).toBe(200);
    const [setCookie, device] = ok.headers.getSetCookie();
    expect(setCookie).toMatch(/^duban_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    // The browser, remembered by the account (sent only to sign-in): guessers at its address cannot shut it out.
    expect(device).toMatch(/^duban_device=[\w-]{43}; Path=\/api\/auth; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(await ok.json()).toMatchObject({ person: { personId: ADMIN, roles: [{ role: 'admin' }] } });
    const cookie = cookieOf(ok);
    const me = await fetch(`${dev}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await fetch(`${dev}/api/auth/me`)).status).toBe(401);
    // Not to be framed by other sites or sniffed, and no address sent on to other sites.
    for (const response of [me, await fetch(`${dev}/`)]) {
      expect(
        Object.fromEntries(
          ['x-frame-options', 'x-content-type-options', 'referrer-policy'].map((h) => [h, response.headers.get(h)]),
        ),
      ).toEqual({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      });
    }

    const out = await fetch(`${dev}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${dev}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('lets only an admin add users, and the new user sign in, change the password, and be locked out when guessed at', async () => {
    const admin = cookieOf(await signIn(dev, ADMIN, PASSWORD));
    const reporter = `reporter-${suffix}`;
    const create = (cookie?: string) =>
      fetch(`${dev}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({
          id: reporter,
          name: '李明',
          email: `${reporter}@test.local`,
          roles: [{ role: 'reporter', unit }],
          password: 'a reporter password',
        }),
      });
    expect((await create()).status).toBe(401);
    const created = await create(admin);
    expect(created.status).toBe(201);
    const list = (await (await fetch(`${dev}/api/users`, { headers: { cookie: admin } })).json()) as {
      users: { personId: string; roles: { role: string; unitName: string }[] }[];
    };
    expect(list.users.find((u) => u.personId === reporter)!.roles).toEqual([
      { role: 'reporter', unitId: expect.any(String), unitName: unit },
    ]);

    const first = await signIn(dev, reporter, 'a reporter password');
    // The password the admin chose is temporary: the reporter must pick their own first.
    expect(await first.clone().json()).toMatchObject({ mustChange: true });
    const mine = cookieOf(first);
    const forbidden = await create(mine);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'ROLE_NOT_HELD' });

    const change = (current: string, next: string) =>
      fetch(`${dev}/api/auth/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: mine },
        body: JSON.stringify({ current, next }),
      });
    expect((await change('a reporter password', 'short')).status).toBe(422);
    expect((await change('a reporter password', 'my own new password')).status).toBe(204);
    expect((await signIn(dev, reporter, 'my own new password')).status).toBe(200);

    // Five failures at one login from one address: that address may not try it again for a while.
    for (let i = 0; i < 5; i += 1) expect((await signIn(dev, reporter, `guess ${i} at it`)).status).toBe(401);
    const limited = await signIn(dev, reporter, 'my own new password');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await limited.json()).toMatchObject({ code: 'LOGIN_RATE_LIMITED' });
    // Ten in a row, from anywhere, lock the account itself.
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn(proxied, reporter, `guess ${i} at it`, `192.0.2.${i}`)).status).toBe(401);
    }
    const locked = await signIn(proxied, reporter, 'my own new password', '192.0.2.99');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'LOGIN_LOCKED' });
  });

  it('limits per account and per (address, login), never shutting out an office behind one address', async () => {
    const [office, colleague] = [`office-${suffix}`, `colleague-${suffix}`];
    for (const id of [office, colleague]) {
      await upsertPerson(dataSource, { id, name: '同事', email: `${id}@test.local`, roles: [{ role: 'admin' }] });
      await setPassword(dataSource, id, 'an office password');
    }
    const nat = '198.51.100.7';
    // Someone behind the office's NAT guesses across twenty-one accounts…
    for (let i = 0; i < 21; i += 1) {
      expect((await signIn(proxied, `nobody-${i}-${suffix}`, 'a wrong password', nat)).status).toBe(401);
    }
    // …and everyone else there still signs in with the right password.
    expect((await signIn(proxied, colleague, 'an office password', nat)).status).toBe(200);
    // Guessing one login from there refuses that pair only: the person gets in from home.
    for (let i = 0; i < 5; i += 1) expect((await signIn(proxied, office, `guess ${i}`, nat)).status).toBe(401);
    const refused = await signIn(proxied, office, 'an office password', nat);
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([429, 'LOGIN_RATE_LIMITED']);
    expect((await signIn(proxied, office, 'an office password', '203.0.113.20')).status).toBe(200);
    // Without TRUST_PROXY the header names nobody: a guesser cannot reset the limit by changing it.
    for (let i = 0; i < 5; i += 1)
      expect((await signIn(dev, colleague, `guess ${i}`, `203.0.113.${i}`)).status).toBe(401);
    expect((await signIn(dev, colleague, 'an office password', '203.0.113.99')).status).toBe(429);
  });

  it('sends a content security policy for the web app, no X-Powered-By, and HSTS only where people come over https', async () => {
    for (const base of [dev, production]) {
      for (const path of ['/', '/api/auth/me', '/health']) {
        const response = await fetch(`${base}${path}`);
        const policy = response.headers.get('content-security-policy') ?? '';
        expect(policy).toContain("default-src 'self'");
        expect(policy).toContain("script-src 'self'");
        expect(policy).toContain("object-src 'none'");
        expect(policy).toContain("frame-ancestors 'none'");
        expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
        expect(response.headers.get('x-powered-by')).toBeNull();
        // PUBLIC_URL is https for the production API only (TLS at a proxy in front of it).
        expect(response.headers.get('strict-transport-security')).toBe(base === production ? 'max-age=31536000' : null);
        expect(policy.includes('upgrade-insecure-requests')).toBe(base === production);
      }
    }
  });

  it('ends sessions on a password reset, holds a temporary password to the change, and refuses foreign origins and bursts', async () => {
    const who = `burst-${suffix}`;
    await upsertPerson(dataSource, { id: who, name: '测试', email: `${who}@test.local`, roles: [{ role: 'admin' }] });
    await setPassword(dataSource, who, 'first password here');
    const cookie = cookieOf(await signIn(dev, who, 'first password here'));
    expect((await fetch(`${dev}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    // An admin (or `duban user password`) resets it: the old session ends.
    await setPassword(dataSource, who, 'a temporary password', { mustChange: true });
    expect((await fetch(`${dev}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    const temporary = cookieOf(await signIn(dev, who, 'a temporary password'));
    expect((await fetch(`${dev}/api/auth/me`, { headers: { cookie: temporary } })).status).toBe(200);
    const held = await fetch(`${dev}/api/cycles`, { headers: { cookie: temporary } });
    expect(held.status).toBe(403);
    expect(await held.json()).toMatchObject({ code: 'MUST_CHANGE_PASSWORD' });
    // A page on another origin may not post here, even with the user's cookie.
    const foreign = await fetch(`${dev}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: temporary, origin: 'https://evil.example' },
      body: JSON.stringify({ current: 'a temporary password', next: 'chosen by the attacker' }),
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'FOREIGN_ORIGIN' });
    // Ten guesses at once: no more than five are checked, the rest are refused (this login from this address).
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(dev, who, `guess number ${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('ignores X-Duban-User in production: only a session names the caller there', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    const asHeader = { 'x-duban-user': ADMIN, 'x-duban-role': 'admin' };
    // Outside production the header still names the caller (the seam tests and tools used before sign-in).
    expect((await fetch(`${dev}/api/mail/${nobody}/resend`, { method: 'POST', headers: asHeader })).status).toBe(404);
    const refused = await fetch(`${production}/api/mail/${nobody}/resend`, { method: 'POST', headers: asHeader });
    expect(refused.status).toBe(401);
    const cookie = cookieOf(await signIn(production, ADMIN, PASSWORD));
    expect(
      (await fetch(`${production}/api/mail/${nobody}/resend`, { method: 'POST', headers: { cookie } })).status,
    ).toBe(404);
  });
});
