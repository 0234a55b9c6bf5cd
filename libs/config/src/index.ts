/** libs/config: configuration, validated once. The only code that reads process.env. */
export { loadConfig, childEnvironment, setForThisRun, ConfigError, type Environment } from './load-config.js';
export type { DubanConfig } from './config.schema.js';
export { mailLeavesThisMachine, CONFIG_VARIABLES } from './config.schema.js';
export { LOCAL_DEFAULTS, devStackFile, resolveEndpoints, type Endpoints } from './local-defaults.js';
