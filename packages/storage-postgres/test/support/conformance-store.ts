// Opens the PostgreSQL backend for the conformance suite; its worker processes import this module too.
import type { AppConfigInput } from '@jido-code/core-schema';
import { openPostgresStore } from '../../src/index.js';

export interface PostgresSpecOptions {
  readonly url: string;
  readonly schema: string;
  readonly leaseTtlMs?: number;
  readonly statementTimeoutMs?: number;
}

export async function openConformanceStore(options: unknown, config: Partial<AppConfigInput>) {
  const { url, schema, leaseTtlMs, statementTimeoutMs } = options as PostgresSpecOptions;
  const opened = await openPostgresStore({
    url,
    schema,
    leaseTtlMs: leaseTtlMs ?? 2000,
    statementTimeoutMs,
    poolSize: 4,
    env: {},
    config,
  });
  if (!opened.ok) throw opened.error;
  return opened.value;
}
