/**
 * The one place errors become HTTP: a DomainError is the caller's fault (4xx
 * with its code and both messages); Nest's own HTTP errors keep their status;
 * anything else is a 500 that says nothing about internals.
 */
import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '#domain';
import type { Logger } from '#logging';

const STATUS_BY_CODE: Record<string, number> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
};

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      response.status(STATUS_BY_CODE[error.code] ?? HttpStatus.BAD_REQUEST).json({
        code: error.code,
        message: error.messageZh,
        messageEn: error.messageEn,
        ...(error.details ? { details: error.details } : {}),
      });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      response.status(status).json({
        code: `HTTP_${status}`,
        message: error.message,
        messageEn: error.message,
      });
      return;
    }
    this.logger.error({ err: error }, 'unhandled error');
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      code: 'INTERNAL',
      message: '服务器内部错误，请稍后再试',
      messageEn: 'Internal server error, please try again later',
    });
  }
}
