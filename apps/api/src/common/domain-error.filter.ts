/**
 * The one place errors become HTTP. A DomainError carries its code and both
 * messages (4xx for the caller's mistakes, 5xx where a dependency failed);
 * Nest's own HTTP errors keep their status with a Chinese message added;
 * anything else is a 500 that says nothing about internals and is logged
 * with the request id.
 */
import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '#domain';
import type { Logger } from '#logging';

const STATUS_BY_CODE: Record<string, number> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  MAIL_NOT_SENT: HttpStatus.BAD_GATEWAY,
  TEMPORAL_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  IMPORT_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  IMPORT_HAS_WARNINGS: HttpStatus.CONFLICT,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  ROLE_NOT_HELD: HttpStatus.FORBIDDEN,
  WRONG_ROLE: HttpStatus.FORBIDDEN,
  WRONG_UNIT: HttpStatus.FORBIDDEN,
  WRONG_STATE: HttpStatus.CONFLICT,
  BUSY: HttpStatus.CONFLICT,
  QUARTER_OVER: HttpStatus.CONFLICT,
  UPDATE_FAILED: HttpStatus.BAD_GATEWAY,
  INVALID_IDEMPOTENCY_KEY: HttpStatus.BAD_REQUEST,
  INVALID_INPUT: HttpStatus.UNPROCESSABLE_ENTITY,
  NO_WORKER: HttpStatus.SERVICE_UNAVAILABLE,
  LINK_INVALID: HttpStatus.UNAUTHORIZED,
  LINK_EXPIRED: HttpStatus.GONE,
  LINK_WRONG_PURPOSE: HttpStatus.FORBIDDEN,
  MAIL_REJECTED: HttpStatus.BAD_GATEWAY,
  MAIL_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  NO_BODY: HttpStatus.CONFLICT,
  LOGIN_FAILED: HttpStatus.UNAUTHORIZED,
  LOGIN_LOCKED: HttpStatus.TOO_MANY_REQUESTS,
  LOGIN_RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  WEAK_PASSWORD: HttpStatus.UNPROCESSABLE_ENTITY,
  MUST_CHANGE_PASSWORD: HttpStatus.FORBIDDEN,
  NOT_ALLOWED: HttpStatus.FORBIDDEN,
  FOREIGN_ORIGIN: HttpStatus.FORBIDDEN,
};

const HTTP_MESSAGES: Record<number, [string, string]> = {
  400: ['请求格式错误', 'Malformed request'],
  401: ['请先登录', 'Please sign in'],
  403: ['无权执行此操作', 'Not allowed'],
  404: ['未找到该地址', 'No such address'],
  405: ['不支持该请求方法', 'Method not allowed'],
  413: ['请求内容过大', 'Request too large'],
  415: ['不支持该内容类型', 'Unsupported content type'],
  429: ['请求过于频繁，请稍后再试', 'Too many requests, please try again later'],
};

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { log?: Logger }>();
    if (error instanceof DomainError) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(Math.max(retryAfter, 1)));
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
      const [zh, en] = HTTP_MESSAGES[status] ?? ['请求失败', 'Request failed'];
      response.status(status).json({ code: `HTTP_${status}`, message: zh, messageEn: `${en}: ${error.message}` });
      return;
    }
    (request.log ?? this.logger).error({ err: error }, 'unhandled error');
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      code: 'INTERNAL',
      message: '服务器内部错误，请稍后再试',
      messageEn: 'Internal server error, please try again later',
    });
  }
}
