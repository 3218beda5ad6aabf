import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import { errnoCode, type FileSystem, nodeFileSystem } from '../fs/file-system.js';
import { homeLayout, resolveHome, sessionIdFromFileName } from '../home/paths.js';
import { tempFilePattern } from '../io/durable-write.js';
import { readFileIfExists } from '../io/read-file.js';
import { isJidoCodeSignature } from '../jidocode/jidocode-signature.js';
import { sessionIdFromJournalFileName } from '../journal/journal-path.js';
import { leaseIsHeld } from '../locking/lease.js';
import { SessionStore } from '../session-store.js';
import { type HomeEntry, type RefusalReason, tightenMode, walkHome } from './home-walk.js';

/** Options of {@link diagnoseHome}. */
export interface DoctorOptions {
  readonly home?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fs?: FileSystem;
  /** Tighten modes under the home and rebuild the index. */
  readonly fix?: boolean;
}

/** What `jido doctor` found (and, with `fix`, did). Paths are relative to the home. */
export interface DoctorReport {
  readonly home: string;
  readonly owner: { readonly uid: number; readonly yours: boolean } | null;
  readonly mode: string | null;
  /** Files and folders readable, writable or searchable by group or others; `fixed` once tightened. */
  readonly open_paths: { readonly path: string; readonly mode: string; readonly fixed: boolean }[];
  /** Paths doctor will not touch: symlinks, other users' files, unreadable ones. */
  readonly refused_paths: { readonly path: string; readonly reason: RefusalReason }[];
  readonly jidocode: {
    readonly machine_secret: boolean;
    readonly signed: string[];
    readonly unsigned: string[];
  };
  /** Leftover temp files (this project's, and JidoCode's `<id>.json.tmp`). */
  readonly temp_files: string[];
  /**
   * Session ids whose journal outlived its process: not yet recovered (the next command that opens
   * the home recovers them).
   */
  readonly journals: string[];
  /** Session ids whose journal a live jido process is writing (open sessions: nothing to recover). */
  readonly open_journals: string[];
  readonly index: {
    readonly present: boolean;
    readonly readable: boolean;
    readonly entries: number;
    readonly session_files: number;
    readonly rebuilt: boolean;
    /** The error code when a rebuild was attempted and failed. */
    readonly rebuild_error?: string;
  };
  /** True when nothing above needs attention (temp files and journals are only reported). */
  readonly healthy: boolean;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

async function classifySession(fs: FileSystem, entry: HomeEntry): Promise<'signed' | 'unsigned' | undefined> {
  const bytes = await readFileIfExists(fs, entry.absolute, 10 * 1024 * 1024).catch(() => undefined);
  if (bytes === undefined || (bytes[0] === 0x7b && bytes[1] === 0x22)) return undefined;
  try {
    const document = JSON.parse(Buffer.from(bytes).toString('utf8')) as { signature?: unknown };
    if (isJidoCodeSignature(document.signature)) return 'signed';
    return document.signature === undefined || document.signature === null ? 'unsigned' : undefined;
  } catch {
    return undefined;
  }
}

async function indexState(fs: FileSystem, indexFile: string) {
  try {
    const bytes = await readFileIfExists(fs, indexFile, 256 * 1024 * 1024);
    if (bytes === undefined) return { present: false, readable: false, entries: 0 };
    const document = JSON.parse(Buffer.from(bytes).toString('utf8')) as { entries?: unknown };
    const entries = document.entries;
    const count = Array.isArray(entries)
      ? entries.length
      : entries && typeof entries === 'object'
        ? Object.keys(entries).length
        : 0;
    return { present: true, readable: entries !== undefined, entries: count };
  } catch {
    return { present: true, readable: false, entries: 0 };
  }
}

async function rebuildIndex(options: DoctorOptions, home: string, indexFile: string, fs: FileSystem) {
  try {
    await fs.unlink(indexFile);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  const store = await SessionStore.open({ home, ...(options.env ? { env: options.env } : { env: {} }), fs });
  if (!store.ok) throw store.error;
  const listing = await store.value.listPersisted();
  if (!listing.ok) throw listing.error;
}

type HomeWalk = Awaited<ReturnType<typeof walkHome>>;

/** Every entry open to group or others; with `fix`, tightened, or refused with the reason. */
async function openPaths(walk: HomeWalk, fix: boolean | undefined, uid: number | undefined) {
  const refused: DoctorReport['refused_paths'] = [...walk.refused];
  const open_paths: DoctorReport['open_paths'] = [];
  for (const entry of walk.entries) {
    if ((entry.stats.mode & 0o077) === 0) continue;
    let fixed = false;
    if (fix) {
      const outcome = await tightenMode(entry, uid);
      if ('mode' in outcome) fixed = true;
      else refused.push({ path: entry.path, reason: outcome.refused });
    }
    open_paths.push({ path: entry.path, mode: octal(entry.stats.mode), fixed });
  }
  return { open_paths, refused };
}

/** JidoCode files, leftover temp files, journals (open or left behind) and the session files. */
async function inventory(fs: FileSystem, layout: ReturnType<typeof homeLayout>, walk: HomeWalk) {
  const jidocode = { machine_secret: false, signed: [] as string[], unsigned: [] as string[] };
  const temp_files: string[] = [];
  const journals: string[] = [];
  const open_journals: string[] = [];
  let sessionFiles = 0;
  for (const entry of walk.entries) {
    const [folder, name = '', ...deeper] = entry.path.split('/');
    if (entry.path === 'machine_secret') jidocode.machine_secret = true;
    if (!entry.stats.isFile() || deeper.length > 0) continue;
    if (tempFilePattern.test(name) || (folder === 'sessions' && name.endsWith('.json.tmp')))
      temp_files.push(entry.path);
    const journalOf = folder === 'journal' ? sessionIdFromJournalFileName(name) : undefined;
    if (journalOf !== undefined) {
      const open = await leaseIsHeld(fs, layout.leaseFile(journalOf), () => new Date());
      (open ? open_journals : journals).push(journalOf);
    }
    const id = folder === 'sessions' ? sessionIdFromFileName(name) : undefined;
    if (id === undefined) continue;
    sessionFiles += 1;
    const kind = await classifySession(fs, entry);
    if (kind !== undefined) jidocode[kind].push(id);
  }
  return { jidocode, temp_files, journals, open_journals, sessionFiles };
}

/** The index's state; with `rebuild`, after rebuilding it (the error code when that failed). */
async function checkedIndex(options: DoctorOptions, home: string, indexFile: string, rebuild: boolean) {
  const fs = options.fs ?? nodeFileSystem;
  let index = await indexState(fs, indexFile);
  let rebuilt = false;
  let rebuildError: string | undefined;
  if (rebuild) {
    try {
      await rebuildIndex(options, home, indexFile, fs);
      rebuilt = true;
    } catch (error) {
      rebuildError = error instanceof JidoError ? error.code : 'internal';
    }
    index = await indexState(fs, indexFile);
  }
  return { index, rebuilt, rebuildError };
}

/**
 * Examines a jido home without needing it to be safe first: owner and modes of everything in it,
 * JidoCode files, leftover temp files, unrecovered journals and the listing index. With `fix`, it
 * removes group and other permissions from what this user owns under the home (never a parent,
 * never through a symlink, never another user's file) and rebuilds the index.
 */
export async function diagnoseHome(options: DoctorOptions = {}): Promise<Result<DoctorReport>> {
  const fs = options.fs ?? nodeFileSystem;
  const home = resolveHome({
    ...(options.home === undefined ? {} : { home: options.home }),
    env: options.env ?? process.env,
  });
  const layout = homeLayout(home);
  const uid = process.getuid?.();
  try {
    const walk = await walkHome(fs, home, uid);
    const root = walk.entries.find((entry) => entry.path === '.');
    const { open_paths, refused } = await openPaths(walk, options.fix, uid);
    const { sessionFiles, ...found } = await inventory(fs, layout, walk);
    const allFixed = open_paths.every((path) => path.fixed);
    const rebuild = options.fix === true && root !== undefined && allFixed;
    const { index, rebuilt, rebuildError } = await checkedIndex(options, home, layout.indexFile, rebuild);
    return ok({
      home,
      owner:
        root === undefined
          ? null
          : { uid: root.stats.uid, yours: uid === undefined || root.stats.uid === uid },
      mode: root === undefined ? null : octal(root.stats.mode),
      open_paths,
      refused_paths: refused,
      ...found,
      index: {
        ...index,
        session_files: sessionFiles,
        rebuilt,
        ...(rebuildError === undefined ? {} : { rebuild_error: rebuildError }),
      },
      healthy:
        root !== undefined &&
        refused.length === 0 &&
        allFixed &&
        rebuildError === undefined &&
        (!index.present || index.readable),
    });
  } catch (error) {
    return err(
      error instanceof JidoError
        ? error
        : new JidoError('io_error', 'Could not examine the jido home.', { cause: error, details: { home } }),
    );
  }
}
