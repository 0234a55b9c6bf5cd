/** Every controller of the API, in one list: the module mounts them, the OpenAPI document describes them. */
import type { Type } from '@nestjs/common';
import { AuthController } from './auth/auth.controller.js';
import { CyclesController } from './cycles/cycles.controller.js';
import { EvidenceController } from './cycles/evidence.controller.js';
import { WorkspaceController } from './cycles/workspace.controller.js';
import { HealthController } from './health/health.controller.js';
import { MailController } from './mail/mail.controller.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { DocsController } from './openapi/docs.controller.js';
import { InstructionsController } from './plans/instructions.controller.js';
import { MilestonesController } from './plans/milestones.controller.js';
import { PlansController } from './plans/plans.controller.js';
import { SetupController } from './plans/setup.controller.js';
import { TaskChangesController } from './plans/task-changes.controller.js';

export const API_CONTROLLERS: Type[] = [
  HealthController,
  NotificationsController,
  PlansController,
  SetupController,
  MilestonesController,
  InstructionsController,
  TaskChangesController,
  CyclesController,
  WorkspaceController,
  EvidenceController,
  MailController,
  AuthController,
  DocsController,
];
