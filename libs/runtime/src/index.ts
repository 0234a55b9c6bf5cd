/** libs/runtime: what the Nest processes (api, worker) share at start-up. */
export { CONFIG, ENDPOINTS, LOGGER } from './tokens.js';
export { InfrastructureModule } from './infrastructure.module.js';
export { runProcess, type ProcessContext } from './bootstrap.js';
export { deepLinksFor } from './deep-links.js';
