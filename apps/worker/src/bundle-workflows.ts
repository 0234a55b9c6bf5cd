/**
 * Bundles workflows/ once (webpack, via the SDK) into one file that the
 * worker and the tests load, so start-up never re-bundles. Run by
 * `npm run build`.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '#config';

const config = loadConfig();
const workflowsPath = fileURLToPath(import.meta.resolve('#workflows'));
const { code } = await bundleWorkflowCode({
  workflowsPath,
  logger: {
    log() {},
    trace() {},
    debug() {},
    info() {},
    warn: (m) => process.stderr.write(`${m}\n`),
    error: (m) => process.stderr.write(`${m}\n`),
  },
});
await mkdir(dirname(config.workflowBundlePath), { recursive: true });
await writeFile(config.workflowBundlePath, code);
process.stderr.write(`[duban] workflow bundle: ${config.workflowBundlePath} (${Math.round(code.length / 1024)} KiB)\n`);
