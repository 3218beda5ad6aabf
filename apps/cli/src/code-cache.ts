import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs the bundled CLI (one CommonJS file) through `vm.Script` with a V8 code cache, so that a start
 * deserializes the compiled code instead of parsing and compiling about 2 MB of JavaScript (Node 20
 * has no compile cache for modules). The cache is only ever a speed-up: any failure to read, check or
 * write it falls back to compiling the source, which is always what runs.
 *
 * A cache file is named by a SHA-256 of the bundle's bytes, the Node version and the architecture,
 * so a cache made from other code or by another Node can never be applied to this bundle (V8's own
 * check compares only the source length). Its payload is checked against a SHA-256 in its header,
 * and V8 rejects data made with other flags: either way the source is compiled and the cache
 * rewritten. The folder must be a directory of the current user, closed to others, because the
 * cached code runs as the user.
 */

/** `JIDO_CODE_CACHE_DIR`: the folder (or `off`); else `$XDG_CACHE_HOME/jido-code`, else `~/.cache/jido-code`. */
export function codeCacheFolder(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const chosen = env.JIDO_CODE_CACHE_DIR?.trim();
  if (chosen !== undefined && chosen !== '') return chosen === 'off' ? undefined : resolve(chosen);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'jido-code');
  try {
    return join(homedir(), '.cache', 'jido-code');
  } catch {
    return undefined;
  }
}

const magic = Buffer.from('jido-code-cache-1\n');
const digestLength = 32;
/** Files of other bundles untouched for this long are removed when a new cache is written. */
const staleMs = 30 * 24 * 60 * 60 * 1000;
const prefix = 'cli-';
const suffix = '.v8cache';

function sha256(...parts: (Buffer | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Creates the folder (0700) when missing; true when it is a directory of this user closed to others. */
function privateFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = lstatSync(folder);
    const ownUser = process.getuid === undefined || stats.uid === process.getuid();
    return stats.isDirectory() && ownUser && (stats.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** The cached data in `file`, when it is there and its payload matches its digest. */
function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const start = magic.length + digestLength;
  if (bytes.length <= start || !bytes.subarray(0, magic.length).equals(magic)) return undefined;
  const payload = bytes.subarray(start);
  return sha256(payload).equals(bytes.subarray(magic.length, start)) ? payload : undefined;
}

/** Writes the cache through a temporary file and a rename, so a reader never sees half of it. */
function writeCache(folder: string, file: string, data: Buffer): void {
  const temporary = join(folder, `.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, Buffer.concat([magic, sha256(data), data]), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
    return;
  }
  const now = Date.now();
  for (const name of readdirSync(folder)) {
    const other = join(folder, name);
    if (other === file || !name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    if (now - lstatSync(other).mtimeMs > staleMs) rmSync(other, { force: true });
  }
}

/** A loaded CommonJS bundle: its exports, and how to store its compiled code when that is worth it. */
export interface CachedBundle {
  readonly exports: Record<string, unknown>;
  /** Whether the code came from the cache. */
  readonly fromCache: boolean;
  /** Writes the cache when there was none or V8 rejected it (after the run, so it holds what ran). */
  saveCache(): void;
}

/** The cache file's name for a bundle of these bytes under this Node. */
export function cacheFileName(bytes: Buffer): string {
  return `${prefix}${sha256(bytes, '\0', process.version, '\0', process.arch).toString('hex')}${suffix}`;
}

/** Loads and runs the CommonJS bundle `file`, with the code cache in `folder` (none when undefined). */
export function loadCachedBundle(file: string, folder: string | undefined): CachedBundle {
  const bytes = readFileSync(file);
  const usable = folder !== undefined && privateFolder(folder);
  const cacheFile = usable ? join(folder, cacheFileName(bytes)) : undefined;
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
  const module = { exports: {} as Record<string, unknown> };
  const body = script.runInThisContext() as (...parameters: unknown[]) => void;
  body.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (cacheFile === undefined || fromCache || folder === undefined) return;
      try {
        writeCache(folder, cacheFile, script.createCachedData());
      } catch {
        // Only a speed-up: the next start compiles again.
      }
    },
  };
}
