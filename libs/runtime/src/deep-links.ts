import { join } from 'node:path';
import type { DubanConfig } from '#config';
import { DeepLinks, linkSecret } from '#notifications';

/** The installation's deep-link signer: the configured secret, or the one generated into the data directory. */
export function deepLinksFor(config: DubanConfig): DeepLinks {
  return new DeepLinks(
    linkSecret(config.links.secret, join(config.dataDir, 'link-secret')),
    config.publicUrl,
    config.links.ttlDays,
  );
}
