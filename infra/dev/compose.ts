/**
 * Docker Compose v2 (github.com/docker/compose/v2), built once from the Go module proxy into the cache outside
 * the clone, for checking the deployment's compose file: `docker-compose -f FILE config` reads and validates it
 * without an engine. Debian's docker.io has no compose plugin, and its docker-compose is the old Python v1.
 */
import { join } from 'node:path';
import type { Say } from './component.js';
import { goBuildModule } from './go-build.js';

export const COMPOSE_VERSION = 'v2.40.3';

/**
 * The cached compose binary (run standalone), building it on first use (minutes). Undefined when there is no Go.
 * @throws Error with the build's last lines when the build fails.
 */
export function ensureCompose(cacheDir: string, say: Say): Promise<string | undefined> {
  return goBuildModule(
    join(cacheDir, `compose-${COMPOSE_VERSION}`, 'docker-compose'),
    `github.com/docker/compose/v2@${COMPOSE_VERSION}`,
    './cmd',
    { label: `Docker Compose ${COMPOSE_VERSION}`, say },
  );
}
