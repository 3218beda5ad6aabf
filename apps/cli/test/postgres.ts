// The PostgreSQL server of this run, from the storage-postgres test harness (vitest.config.ts runs
// its global setup): the real server of JIDO_TEST_DATABASE_URL, else PGlite behind the real wire
// protocol on 127.0.0.1. Each test takes a fresh schema, which that setup drops at the end.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'postgresql' | 'pglite';
    schemaPrefix: string;
  }
}

/** The server's URL and which server it is. */
export function testDatabase(): { url: string; kind: 'postgresql' | 'pglite' } {
  return { url: inject('databaseUrl'), kind: inject('databaseKind') };
}

/** A store URL on the run's server with a schema of its own (`?schema=`). */
export function freshStoreUrl(): string {
  const url = new URL(inject('databaseUrl'));
  url.searchParams.set('schema', `${inject('schemaPrefix')}cli_${randomBytes(5).toString('hex')}`);
  return url.toString();
}

/**
 * Output with what legitimately differs between two stores made the same: ids (full and short),
 * times, the store's own name and key ids.
 */
export function normalised(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) out = out.split(name).join('<store>');
  return out
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\b[0-9a-f]{8}\b/g, '<short>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
}
