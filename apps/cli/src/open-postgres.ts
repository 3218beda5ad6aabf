import { JidoError, type Logger } from '@jido-code/core-schema';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import type { CommandContext } from './context.js';
import type { StoreLocation } from './store-location.js';

type PostgresLocation = Extract<StoreLocation, { kind: 'postgres' }>;

/**
 * Opens a PostgreSQL store (connect, migrate). `@jido-code/storage-postgres` and `pg` are loaded
 * only here, so a run on a file home never loads them. The pool is closed when the command ends.
 * A connection failure is thrown as `store_unavailable` with its reason (one line per reason, by
 * the error catalogue); its details carry the URL with the password removed, and no text of the
 * driver keeps the password.
 */
export async function openPostgres(
  context: CommandContext,
  location: PostgresLocation,
  logger: Logger,
): Promise<SessionStore<SessionBackend>> {
  const { openPostgresStore, redactUrl } = await import('@jido-code/storage-postgres');
  const opened = await openPostgresStore({
    url: location.url,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    env: context.io.env,
    config: location.config,
    logger,
  });
  if (!opened.ok) throw withoutPassword(opened.error, location.url, redactUrl(location.url));
  const store = opened.value;
  context.atExit(() => store.backend.close());
  return store as unknown as SessionStore<SessionBackend>;
}

/** The same error with the store URL (password removed) added and every trace of the password gone. */
function withoutPassword(error: JidoError, url: string, redacted: string): JidoError {
  const passwords = passwordsOf(url);
  const scrub = (text: string) => passwords.reduce((clean, secret) => clean.split(secret).join('***'), text);
  const details = JSON.parse(scrub(JSON.stringify(error.details))) as Record<string, unknown>;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return new JidoError(error.code, scrub(error.message), {
    details: { ...details, store: redacted },
    ...(cause === undefined ? {} : { cause: scrub(cause) }),
  });
}

/** The password as written in the URL and decoded (either may show up in a driver's text). */
function passwordsOf(url: string): string[] {
  try {
    const raw = new URL(url).password;
    return [...new Set([raw, decodeURIComponent(raw)])].filter((secret) => secret !== '');
  } catch {
    return [];
  }
}
