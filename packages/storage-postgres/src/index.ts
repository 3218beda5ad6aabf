export { Database, type DatabaseOptions, type QueryResult, type SqlValue } from './database.js';
export { defaultLeaseTtlMs, type LeaseTiming } from './leases.js';
export { latestVersion, type Migration, migrate, migrations } from './migrations.js';
export { openPostgresStore, type PostgresStoreOptions } from './open-store.js';
export { redactUrl, toStoreError, type UnavailableReason, unavailableReason } from './pg-errors.js';
export { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';
export { type SyncEntry, type SyncReport, syncSessions } from './sync.js';
