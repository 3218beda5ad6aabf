import {
  type AppConfigInput,
  checkAppConfig,
  err,
  type Logger,
  ok,
  type Result,
  toJidoError,
} from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions extends PostgresBackendOptions {
  /** `JIDO_*` variables (config settings, `JIDO_SIGNING_KEYS`); defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Settings as a config file would give them; the environment wins over these. */
  readonly config?: Partial<AppConfigInput> | undefined;
  readonly now?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * A session store over PostgreSQL: connects, migrates, and returns the same `SessionStore` facade
 * the file backend uses. `JIDO_SIGNING_KEYS` (a keyring file) keeps the keys out of the database.
 * Never throws: a connection failure comes back as `store_unavailable` with a reason.
 */
export async function openPostgresStore(
  options: PostgresStoreOptions,
): Promise<Result<SessionStore<PostgresBackend>>> {
  const env = options.env ?? process.env;
  const config = await checkAppConfig(options.config ?? {}, env);
  if (!config.ok) return config;
  try {
    const backend = await PostgresBackend.open({
      ...options,
      signingKeysFile: options.signingKeysFile ?? (env.JIDO_SIGNING_KEYS || undefined),
    });
    return ok(
      SessionStore.over(backend, {
        config: config.value,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      }),
    );
  } catch (error) {
    return err(toJidoError(error, 'store_unavailable', 'Could not open the session database.'));
  }
}
