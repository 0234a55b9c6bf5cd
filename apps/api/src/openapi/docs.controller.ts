/**
 * GET /api/docs: the OpenAPI document of every route (public: it says what
 * exists and who may call it, never any data).
 */
import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/access.js';
import { API_CONTROLLERS } from '../controllers.js';
import { buildOpenApi } from './openapi.js';

@Controller('api/docs')
export class DocsController {
  private document: Record<string, unknown> | undefined;

  @Get()
  @Public()
  docs(): Record<string, unknown> {
    this.document ??= buildOpenApi(API_CONTROLLERS);
    return this.document;
  }
}
