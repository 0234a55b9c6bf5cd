/**
 * The one place errors become HTTP. A DomainError carries its code (its HTTP
 * status from the error table: 4xx for the caller's mistakes, 5xx where a
 * dependency failed) and both messages;
 * Nest's own HTTP errors keep their status with a Chinese message added;
 * PostgreSQL out of reach is a 503 DATABASE_UNAVAILABLE with Retry-After;
 * anything else is a 500 that says nothing about internals and is logged
 * with the request id.
 */
import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ERROR_CODES } from '#domain';
import type { Logger } from '#logging';
import { isDatabaseUnavailable } from '#persistence';

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
      response.status(ERROR_CODES[error.code]?.http ?? HttpStatus.BAD_REQUEST).json({
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
    if (isDatabaseUnavailable(error)) {
      // PostgreSQL stopped or restarting: the caller may retry; nothing was half-stored (each request is one
      // transaction or none).
      (request.log ?? this.logger).warn({ err: error }, 'database unavailable');
      const { zh, en } = ERROR_CODES.DATABASE_UNAVAILABLE;
      response.setHeader('Retry-After', '5');
      response
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .json({ code: 'DATABASE_UNAVAILABLE', message: zh, messageEn: en });
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
