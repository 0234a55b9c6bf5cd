/**
 * What the 计划 pages set up before a cycle:
 *   GET /api/calendar/:month                   a month day by day (working day n, holiday names, provisional)
 *   PUT /api/calendar/:date                    { kind: holiday|workday, name }: an admin's correction; every open
 *                                              cycle is re-planned on the amended calendar
 *   GET /api/plans/:id/cycle-config            the defaults, the plan's own numbers, and what a cycle uses
 *   PUT /api/plans/:id/cycle-config            the plan's own numbers (replacing them; {} = the defaults)
 *   GET /api/plans/:id/units                   the unit directory: each unit's tasks and people by role
 *   GET /api/units                             every unit (for assigning people)
 *   GET /api/categories                        every plan's categories (for supervisors of categories)
 *   POST /api/directory/import                 a contact list (通讯录, multipart `file`; dryRun): units, people, groups
 *   GET  /api/directory/export                 the directory as a contact list (XLSX), to correct and import back
 *   PUT /api/plans/:id/tasks/:ordinal/group-picks  { group, members }: the units 相关街道 stands for in a task
 * Every change is in the audit trail with its actor.
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { CalendarCorrection, CycleSettings, DirectoryImportFields, GroupPickBody } from '#api-schema';
import { calendarMonth, loadWorkingDayCalendar, setCalendarOverride, type CalendarDay } from '#calendar';
import { audit } from '#audit';
import {
  directoryRows,
  directoryWorkbook,
  importDirectory,
  unitDirectory,
  type DirectoryImportSummary,
  type DirectoryUnit,
} from '#directory';
import type { DubanConfig } from '#config';
import { CONFIG } from '#runtime';
import {
  checkCycleConfig,
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  WorkingDayCalendar,
  type ContactList,
  type CycleConfig,
} from '#domain';
import { replanOpenCycles } from '#cycles';
import { whenReady } from '#persistence';
import { DEFAULT_MAX_IMPORT_BYTES, readContactFile } from '#plan-import';
import { pickGroupMembers, PlanReader, setPlanCycleConfig, type GroupPick } from '#plans';
import { Allow, callerOf } from '../auth/access.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Answers, Takes, TakesUpload } from '../openapi/openapi.js';

@Controller('api')
export class SetupController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: DubanConfig,
    private readonly temporal: TemporalClientService,
  ) {}

  @Get('calendar/:month')
  @Allow('admin', 'coordinator')
  @Answers('CalendarMonth')
  async month(@Param('month') month: string): Promise<{ month: string; days: CalendarDay[] }> {
    return { month, days: calendarMonth(await loadWorkingDayCalendar(await whenReady(this.dataSource)), month) };
  }

  @Put('calendar/:date')
  @Allow('admin')
  @Answers('CalendarDay')
  @Takes('CalendarCorrection')
  async correct(
    @Param('date') date: string,
    @Body() body: z.infer<typeof CalendarCorrection>,
    @Req() request: Request,
  ): Promise<CalendarDay> {
    new WorkingDayCalendar({ holidays: {}, workdays: {}, years: [] }).isWorkingDay(date); // a real date, or a coded error
    const name = body.name?.trim() || null;
    const db = await whenReady(this.dataSource);
    const kind = body.kind;
    await db.transaction(async (manager) => {
      await setCalendarOverride(manager, {
        date,
        kind,
        name: name ?? (kind === 'holiday' ? '假日' : '调休'),
      });
      await audit(manager, callerOf(request).personId, 'calendar.corrected', `calendar:${date}`, { kind, name });
    });
    // Every open cycle's future deadlines, reminders and overdue ladder from the amended calendar (again, if this
    // correction is sent again after Temporal was away: each workflow applies one amendment once).
    const replanned = await replanOpenCycles(async () => this.temporal.client, db);
    if (replanned.cycles.length > 0) {
      await audit(db, callerOf(request).personId, 'calendar.replanned', `calendar:${date}`, { ...replanned });
    }
    const [day] = calendarMonth(await loadWorkingDayCalendar(db), date.slice(0, 7)).filter((d) => d.date === date);
    return day!;
  }

  @Get('plans/:id/cycle-config')
  @Allow('admin', 'coordinator')
  @Answers('CycleConfigAnswer')
  async cycleConfig(
    @Param('id') id: string,
  ): Promise<{ defaults: CycleConfig; plan: Partial<CycleConfig>; effective: CycleConfig }> {
    const own = await this.planConfig(id);
    return { defaults: DEFAULT_CYCLE_CONFIG, plan: own, effective: { ...DEFAULT_CYCLE_CONFIG, ...own } };
  }

  @Put('plans/:id/cycle-config')
  @Allow('admin', 'coordinator')
  @Answers('CycleConfigAnswer')
  @Takes('CycleSettings')
  async setCycleConfig(
    @Param('id') id: string,
    @Body() body: z.infer<typeof CycleSettings>,
    @Req() request: Request,
  ): Promise<{ defaults: CycleConfig; plan: Partial<CycleConfig>; effective: CycleConfig }> {
    const before = await this.planConfig(id);
    // The shape is parsed already; which numbers exist and their ranges are the cycle configuration's to say.
    const own = checkCycleConfig(body);
    const db = await whenReady(this.dataSource);
    await db.transaction(async (manager) => {
      await setPlanCycleConfig(manager, id, own);
      await audit(manager, callerOf(request).personId, 'plan.cycle_config', `plan:${id}`, { before, after: own });
    });
    return { defaults: DEFAULT_CYCLE_CONFIG, plan: own, effective: { ...DEFAULT_CYCLE_CONFIG, ...own } };
  }

  @Get('plans/:id/units')
  @Allow('admin', 'coordinator')
  @Answers('DirectoryUnit[]')
  async directory(@Param('id') id: string): Promise<DirectoryUnit[]> {
    await this.planConfig(id); // the plan exists
    return unitDirectory(await whenReady(this.dataSource), id);
  }

  @Get('units')
  @Allow('admin', 'coordinator')
  @Answers('UnitName[]')
  async units(): Promise<{ id: string; name: string }[]> {
    return new PlanReader(await whenReady(this.dataSource)).units();
  }

  @Get('categories')
  @Answers('CategoryName[]')
  @Allow('admin', 'coordinator')
  async categories(): Promise<{ id: string; name: string; ordinal: number; planName: string }[]> {
    return new PlanReader(await whenReady(this.dataSource)).categories();
  }

  @Post('directory/import')
  @Allow('admin') // it grants and takes away roles, as the 用户 page does: admins only
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: DEFAULT_MAX_IMPORT_BYTES * 2, files: 1 } }))
  @Answers('DirectoryImportAnswer')
  @TakesUpload('DirectoryImportFields')
  async importDirectory(
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
    @Body() body: z.infer<typeof DirectoryImportFields>,
    @Query('dryRun') dryRunQuery: string | undefined,
    @Req() request: Request,
  ): Promise<ContactList & { summary: DirectoryImportSummary }> {
    if (!file) {
      throw new DomainError(
        'IMPORT_NO_FILE',
        '请以 multipart 字段 file 上传通讯录',
        'Upload the list as the field "file"',
      );
    }
    const list = await readContactFile(file.buffer, file.originalname);
    const dryRun = ['true', '1', 'on'].includes(body.dryRun ?? dryRunQuery ?? '');
    const summary = await importDirectory(await whenReady(this.dataSource), list, {
      dryRun,
      actorId: callerOf(request).personId,
    });
    return { ...list, summary };
  }

  @Get('directory/export')
  @Allow('admin', 'coordinator')
  @Answers('file')
  async exportDirectory(@Res() response: Response): Promise<void> {
    const rows = await directoryRows(await whenReady(this.dataSource), { office: this.config.names.organisation });
    response
      .status(200)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader(
        'content-disposition',
        `attachment; filename="directory.xlsx"; filename*=UTF-8''${encodeURIComponent('通讯录.xlsx')}`,
      )
      .end(Buffer.from(await directoryWorkbook(rows)));
  }

  @Put('plans/:id/tasks/:ordinal/group-picks')
  @Allow('admin', 'coordinator')
  @Answers('GroupPickAnswer')
  @Takes('GroupPickBody')
  async pickGroup(
    @Param('id') id: string,
    @Param('ordinal') ordinal: string,
    @Body() body: z.infer<typeof GroupPickBody>,
    @Req() request: Request,
  ): Promise<GroupPick> {
    await this.planConfig(id); // the plan exists
    if (!/^\d{1,5}$/.test(ordinal)) {
      throw new DomainError('INVALID_INPUT', `任务序号无效：${ordinal}`, `Invalid task number: ${ordinal}`);
    }
    return pickGroupMembers(
      await whenReady(this.dataSource),
      { planId: id, ordinal: Number(ordinal), group: body.group, members: body.members },
      callerOf(request).personId,
    );
  }

  private async planConfig(id: string): Promise<Partial<CycleConfig>> {
    const config = await new PlanReader(await whenReady(this.dataSource)).cycleConfig(id);
    if (!config) throw new DomainError('NOT_FOUND', `没有计划 ${id}`, `No plan ${id}`);
    return config;
  }
}
