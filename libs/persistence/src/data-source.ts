/**
 * The TypeORM data source: PostgreSQL, explicit entities, timestamped SQL
 * migrations, never `synchronize`.
 */
import { DataSource } from 'typeorm';
import { NotificationEntity } from './entities/notification.entity.js';
import { CreateNotification1764190000000 } from './migrations/1764190000000-create-notification.js';
import { NotificationSendClaim1764200000000 } from './migrations/1764200000000-notification-send-claim.js';
import { CreatePlans1764300000000 } from './migrations/1764300000000-create-plans.js';
import { CreateCalendar1764400000000 } from './migrations/1764400000000-create-calendar.js';
import { CreateCycles1764500000000 } from './migrations/1764500000000-create-cycles.js';
import { NotificationDeliveryLog1764600000000 } from './migrations/1764600000000-notification-delivery-log.js';
import { MailDigest1764700000000 } from './migrations/1764700000000-mail-digest.js';
import { Accounts1764800000000 } from './migrations/1764800000000-accounts.js';
import { Workspace1764900000000 } from './migrations/1764900000000-workspace.js';
import { CoUnitDeadline1765000000000 } from './migrations/1765000000000-co-unit-deadline.js';
import { CurrentTaskVersion1765100000000 } from './migrations/1765100000000-current-task-version.js';
import { DashboardLeftOut1765200000000 } from './migrations/1765200000000-dashboard-left-out.js';
import { KnownAddresses1765300000000 } from './migrations/1765300000000-known-addresses.js';
import { PersonDeactivated1765400000000 } from './migrations/1765400000000-person-deactivated.js';
import { KnownDevices1765500000000 } from './migrations/1765500000000-known-devices.js';
import { SupervisionNotice1765600000000 } from './migrations/1765600000000-supervision-notice.js';
import { TaskVersionChange1765710000000 } from './migrations/1765710000000-task-version-change.js';
import { TaskCycleVersion1765800000000 } from './migrations/1765800000000-task-cycle-version.js';
import { PersonContact1765900000000 } from './migrations/1765900000000-person-contact.js';
import { GroupMember1765910000000 } from './migrations/1765910000000-group-member.js';
import { TaskGroupPick1765920000000 } from './migrations/1765920000000-task-group-pick.js';
import { PeopleChange1766000000000 } from './migrations/1766000000000-people-change.js';
import { Evidence1766100000000 } from './migrations/1766100000000-evidence.js';
import { Milestone1766200000000 } from './migrations/1766200000000-milestone.js';
import { MilestoneProposal1766210000000 } from './migrations/1766210000000-milestone-proposal.js';
import { Instruction1766300000000 } from './migrations/1766300000000-instruction.js';
import { TaskChange1766400000000 } from './migrations/1766400000000-task-change.js';
import { MonthlyPeriods1766500000000 } from './migrations/1766500000000-monthly-periods.js';
import { InstructionDigest1766600000000 } from './migrations/1766600000000-instruction-digest.js';
import { InstructionEvidence1766700000000 } from './migrations/1766700000000-instruction-evidence.js';

export const ENTITIES = [NotificationEntity];
export const MIGRATIONS = [
  CreateNotification1764190000000,
  NotificationSendClaim1764200000000,
  CreatePlans1764300000000,
  CreateCalendar1764400000000,
  CreateCycles1764500000000,
  NotificationDeliveryLog1764600000000,
  MailDigest1764700000000,
  Accounts1764800000000,
  Workspace1764900000000,
  CoUnitDeadline1765000000000,
  CurrentTaskVersion1765100000000,
  DashboardLeftOut1765200000000,
  KnownAddresses1765300000000,
  PersonDeactivated1765400000000,
  KnownDevices1765500000000,
  SupervisionNotice1765600000000,
  TaskVersionChange1765710000000,
  TaskCycleVersion1765800000000,
  PersonContact1765900000000,
  GroupMember1765910000000,
  TaskGroupPick1765920000000,
  PeopleChange1766000000000,
  Evidence1766100000000,
  Milestone1766200000000,
  MilestoneProposal1766210000000,
  Instruction1766300000000,
  TaskChange1766400000000,
  MonthlyPeriods1766500000000,
  InstructionDigest1766600000000,
  InstructionEvidence1766700000000,
];

export function createDataSource(url: string, applicationName: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  });
}

/** Applies pending migrations; returns the names it ran. */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = createDataSource(url, 'duban-migrate');
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

const initialising = new WeakMap<DataSource, Promise<DataSource>>();

/** The data source, connected: connects on first use (once, however many callers wait), retries after a failure. */
export function whenReady(dataSource: DataSource): Promise<DataSource> {
  if (dataSource.isInitialized) return Promise.resolve(dataSource);
  let pending = initialising.get(dataSource);
  if (!pending) {
    pending = dataSource.initialize().finally(() => initialising.delete(dataSource));
    initialising.set(dataSource, pending);
  }
  return pending;
}

/**
 * Resolves when the data source is connected and PostgreSQL answers a
 * statement now (the health check's probe); rejects with the driver's error
 * (refused connection, timeout, authentication) otherwise.
 */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await (await whenReady(dataSource)).query('SELECT 1');
}

/**
 * The rows an UPDATE or DELETE … RETURNING answered: TypeORM's `query()` on
 * PostgreSQL gives those as [rows, affected count] (an INSERT … RETURNING as the rows).
 */
export function returnedRows<T = unknown>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** PostgreSQL's SQLSTATEs of a server going away or not taking connections (class 08; 57P01–57P03). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
/** Socket errors of a server that cannot be reached. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Whether an error means PostgreSQL cannot be reached now (stopped, restarting, the network down), not that a
 * statement was wrong: a refused or reset connection, a connection timeout, "Connection terminated", or an
 * SQLSTATE of class 08 or 57P01–57P03. Looks through TypeORM's `driverError` and `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_ERRNO.has(e.code))) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect/.test(e.message)
    ) {
      return true;
    }
    current = e.driverError ?? e.cause;
  }
  return false;
}
