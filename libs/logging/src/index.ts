/** libs/logging: pino for every process, with request ids for HTTP. */
export { createLogger, PinoNestLogger, type Logger } from './logger.js';
export { requestLogging } from './request-logging.js';
