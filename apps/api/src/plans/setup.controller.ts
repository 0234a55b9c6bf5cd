/**
 * What the 计划 pages set up before a cycle:
 *   GET /api/calendar/:month                   a month day by day (working day n, holiday names, provisional)
 *   PUT /api/calendar/:date                    { kind: holiday|workday, name }: an admin's correction
 *   GET /api/plans/:id/cycle-config            the defaults, the plan's own numbers, and what a cycle uses
 *   PUT /api/plans/:id/cycle-config            the plan's own numbers (replacing them; {} = the defaults)
 *   GET /api/plans/:id/units                   the unit directory: each unit's tasks and people by role
 *   GET /api/units                             every unit (for assigning people)
 *   GET /api/categories                        every plan's categories (for supervisors of categories)
 * Every change is in the audit trail with its actor.
 */
import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { CalendarCorrection, CycleSettings } from '#api-schema';
import { calendarMonth, loadWorkingDayCalendar, setCalendarOverride, type CalendarDay } from '#calendar';
import { audit } from '#audit';
import { unitDirectory, type DirectoryUnit } from '#directory';
import { checkCycleConfig, DEFAULT_CYCLE_CONFIG, DomainError, WorkingDayCalendar, type CycleConfig } from '#domain';
import { whenReady } from '#persistence';
import { PlanReader, setPlanCycleConfig } from '#plans';
import { Allow, callerOf } from '../auth/access.js';
import { Answers, Takes } from '../openapi/openapi.js';

@Controller('api')
export class SetupController {
  constructor(private readonly dataSource: DataSource) {}

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

  private async planConfig(id: string): Promise<Partial<CycleConfig>> {
    const config = await new PlanReader(await whenReady(this.dataSource)).cycleConfig(id);
    if (!config) throw new DomainError('NOT_FOUND', `没有计划 ${id}`, `No plan ${id}`);
    return config;
  }
}
