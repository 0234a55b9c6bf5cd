/**
 * Go programs Duban's tools need (the Temporal CLI, Temporal Server and its schema tool, Docker Compose for
 * checking the compose file), built once from the Go module proxy into the cache outside the clone, with the
 * machine's own Go (GOTOOLCHAIN=local, CGO_ENABLED=0). Nothing is downloaded as a binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnvironment, type Environment } from '#config';
import type { Say } from './component.js';

/** Whether a Go toolchain is on the PATH. */
function haveGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs one go command, saying progress every 25 modules downloaded and every 30 s; answers its stdout.
 * @throws Error with its last 20 lines of output when it exits other than 0.
 */
async function runGo(
  args: string[],
  { label, say, env, cwd }: { label: string; say: Say; env?: Environment; cwd?: string },
) {
  const started = Date.now();
  const build = spawn('go', args, {
    cwd,
    env: childEnvironment({ CGO_ENABLED: '0', GOTOOLCHAIN: 'local', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let downloaded = 0;
  let stdout = '';
  const tail: string[] = [];
  build.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  build.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (line.startsWith('go: downloading')) {
        downloaded += 1;
        if (downloaded % 25 === 0) say(`${label}: ${downloaded} modules downloaded…`);
      }
    }
  });
  const ticker = setInterval(
    () => say(`${label}: still building (${Math.round((Date.now() - started) / 1000)}s)…`),
    30_000,
  );
  const code = await new Promise<number | null>((resolve) => build.on('exit', resolve));
  clearInterval(ticker);
  if (code !== 0) throw new Error(`building ${label} failed (exit ${code}):\n${tail.join('\n')}`);
  return stdout;
}

/**
 * Builds Go packages from the module proxy into `binDir` (outside the clone), once: answers each binary's
 * path by name, at once when all are there already; undefined when there is no Go. Progress is said every
 * 25 modules downloaded and every 30 s.
 * @throws Error with the build's last lines when it fails.
 */
export async function goInstall(
  binDir: string,
  packages: readonly string[],
  { label, binaries, say }: { label: string; binaries: readonly string[]; say: Say },
): Promise<Record<string, string> | undefined> {
  const paths = Object.fromEntries(binaries.map((name) => [name, join(binDir, name)]));
  if (Object.values(paths).every((path) => existsSync(path))) return paths;
  if (!haveGo()) return undefined;
  await mkdir(binDir, { recursive: true });
  say(`${label}: building once into ${binDir} (takes a few minutes)…`);
  const started = Date.now();
  await runGo(['install', ...packages], { label, say, env: { GOBIN: binDir } });
  if (!Object.values(paths).every((path) => existsSync(path))) {
    throw new Error(`building ${label}: ${Object.values(paths).join(', ')} missing after go install`);
  }
  say(`${label}: built in ${Math.round((Date.now() - started) / 1000)}s`);
  return paths;
}

/**
 * Builds one package of a module as its own main module (`go install pkg@version` refuses a module whose go.mod
 * has exclude or replace directives): the module is downloaded from the proxy, then built in place into
 * `binary`, once. Answers the binary's path; undefined when there is no Go.
 * @param module e.g. github.com/docker/compose/v2@v2.40.3
 * @param pkg the package inside it, e.g. ./cmd
 * @throws Error with the build's last lines when it fails.
 */
export async function goBuildModule(
  binary: string,
  module: string,
  pkg: string,
  { label, say }: { label: string; say: Say },
): Promise<string | undefined> {
  if (existsSync(binary)) return binary;
  if (!haveGo()) return undefined;
  await mkdir(join(binary, '..'), { recursive: true });
  say(`${label}: building once into ${binary} (takes a few minutes)…`);
  const started = Date.now();
  const { Dir: dir } = JSON.parse(await runGo(['mod', 'download', '-json', module], { label, say })) as { Dir: string };
  await runGo(['build', '-trimpath', '-o', binary, pkg], { label, say, cwd: dir, env: { GOFLAGS: '-mod=mod' } });
  say(`${label}: built in ${Math.round((Date.now() - started) / 1000)}s`);
  return binary;
}
