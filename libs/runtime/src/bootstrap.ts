/**
 * Common start-up of the api and worker processes: configuration (a bad
 * variable ends the process with a message naming it), the logger, and a
 * last-resort handler that logs and exits instead of hanging.
 */
import { ConfigError, loadConfig, resolveEndpoints, type DubanConfig, type Endpoints } from '#config';
import { createLogger, type Logger } from '#logging';

export interface ProcessContext {
  config: DubanConfig;
  endpoints: Endpoints;
  logger: Logger;
}

export async function runProcess(name: string, main: (context: ProcessContext) => Promise<void>): Promise<void> {
  let config: DubanConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(name, config.logLevel);
  // Last resort: a failure nothing else caught is logged, and the process ends instead of limping on.
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  try {
    await main({ config, endpoints: resolveEndpoints(config), logger });
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  }
}
