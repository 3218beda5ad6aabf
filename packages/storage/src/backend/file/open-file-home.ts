import { type AppConfig, type Logger, silentLogger } from '@jido-code/core-schema';
import { nodeFileSystem } from '../../fs/file-system.js';
import { loadAppConfig } from '../../home/config.js';
import { homeLayout, resolveHome } from '../../home/paths.js';
import { ensureSecureDirectory, withHomeModeFix } from '../../home/secure-directory.js';
import { staleTempAgeMs } from '../../home/sweep.js';
import type { StorageOptions } from '../../store-types.js';
import { FileBackend } from './file-backend.js';

/**
 * Resolves the home, checks or creates it and its folders (0700, not a symlink, owned by this
 * user, no access for group or others: else `unsafe_home`), reads `config.json` and the
 * environment, and sweeps stale temp files. Throws a JidoError.
 */
export async function openFileHome(
  options: StorageOptions,
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
