/**
 * A supervised child's output reaches its log whole: what was still in the pipes when it exited is written
 * before the log ends, and nothing is written after (the supervisor never throws ERR_STREAM_WRITE_AFTER_END).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { appendOutput } from './component.js';

describe('appendOutput', () => {
  it('writes what was still in the pipes at exit, then ends the log', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'duban-component-')), 'child.log');
    const log = createWriteStream(logFile, { flags: 'a' });
    // Four megabytes, far more than a pipe holds: most of it is still on its way when the child exits.
    const child = spawn(
      process.execPath,
      [
        '-e',
        'process.stdout.write("x".repeat(4 * 1024 * 1024)); process.stderr.write("END-ERR\\n"); console.log("END");',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const finish = appendOutput(child, log);
    await new Promise((resolve) => child.once('exit', resolve));
    await finish(60_000);
    const written = readFileSync(logFile, 'utf8');
    expect(written.length).toBe(4 * 1024 * 1024 + 'END\n'.length + 'END-ERR\n'.length);
    expect(written).toContain('END-ERR\n');
    expect(written.endsWith('END\n') || written.endsWith('END-ERR\n')).toBe(true);
  });
});
