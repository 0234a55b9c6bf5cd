/** libs/persistence: PostgreSQL through TypeORM — entities, migrations, database creation. */
export {
  createDataSource,
  migrate,
  whenReady,
  pingDatabase,
  isDatabaseUnavailable,
  returnedRows,
  ENTITIES,
  MIGRATIONS,
} from './data-source.js';
export { ensureDatabase, dropDatabase, canConnect, redactUrl } from './ensure-database.js';
export { NotificationEntity } from './entities/notification.entity.js';
export { owingUnitsOf, taskVersionsOfCycle } from './task-versions.js';
