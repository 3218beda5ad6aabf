import { type AppConfig, type AppConfigInput, type Logger, silentLogger } from '@jido-code/core-schema';
import { type FileSystem, nodeFileSystem } from '../../fs/file-system.js';
import { loadAppConfig } from '../../home/config.js';
import { homeLayout, resolveHome } from '../../home/paths.js';
import { ensureSecureDirectory, withHomeModeFix } from '../../home/secure-directory.js';
import { staleTempAgeMs } from '../../home/sweep.js';
import { FileBackend } from './file-backend.js';

/** Where and how to open a file home; see `StorageOptions`. */
export interface FileHomeOptions {
  readonly home?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fs?: FileSystem | undefined;
  readonly now?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
  readonly config?: Partial<AppConfigInput> | undefined;
  readonly hostname?: string | undefined;
}

/**
 * Resolves the home, checks or creates it and its folders (0700, not a symlink, owned by this
 * user, no access for group or others: else `unsafe_home`), reads `config.json` and the
 * environment, and sweeps stale temp files. Throws a JidoError.
 */
export async function openFileHome(
  options: FileHomeOptions,
): Promise<{ backend: FileBackend; config: AppConfig; now: () => Date; logger: Logger }> {
  const fs = options.fs ?? nodeFileSystem;
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const layout = homeLayout(
    resolveHome({ ...(options.home === undefined ? {} : { home: options.home }), env }),
  );
  try {
    await ensureSecureDirectory(fs, layout.home, { createParents: true });
    const config = await loadAppConfig(fs, layout.configFile, env, options.config);
    if (!config.ok) throw config.error;
    for (const directory of [
      layout.sessionsDir,
      layout.locksDir,
      layout.leasesDir,
      layout.keysDir,
      layout.stateDir,
      layout.indexDir,
    ]) {
      await ensureSecureDirectory(fs, directory);
    }
    const backend = new FileBackend({
      layout,
      fs,
      config: config.value,
      now,
      logger,
      hostname: options.hostname,
    });
    await backend.sweep(staleTempAgeMs);
    return { backend, config: config.value, now, logger };
  } catch (error) {
    throw withHomeModeFix(error, layout.home);
  }
}
