import type { Result, Session } from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import { sessionIdFromFileName } from '../home/paths.js';
import type { LoadedSession } from '../sessions/session-codec.js';
import type { SearchSource, SearchSourceFile, VerifiedSession } from './session-search.js';

/** What a file-backed search source needs from the store. */
export interface FileSearchSourceOptions {
  readonly fs: FileSystem;
  readonly sessionsDir: string;
  /** The store's own load, with every check. */
  readonly load: (id: string) => Promise<Result<LoadedSession>>;
}

/** The content hash of a loaded session: its signature, or its size and time when it has none. */
export function contentHashOf(session: Session): string {
  return session.signature ?? `unsigned:${session.updated_at}:${session.conversation.length}`;
}

/** The sessions folder as a {@link SearchSource}: stats for freshness, the store's load for content. */
export function fileSearchSource(options: FileSearchSourceOptions): SearchSource {
  const { fs, sessionsDir } = options;
  const fileOf = async (id: string): Promise<SearchSourceFile | undefined> => {
    try {
      const stats = await fs.lstat(`${sessionsDir}/${id}.json`);
      if (!stats.isFile()) return undefined;
      return { id, stamp: `${stats.size}:${stats.mtimeMs}:${stats.ino}`, modifiedMs: stats.mtimeMs };
    } catch {
      // Removed (between readdir and lstat, or before): it is simply not there.
      return undefined;
    }
  };
  return {
    folderStamp: async () => (await fs.stat(sessionsDir)).mtimeMs,
    async files(): Promise<SearchSourceFile[]> {
      const files: SearchSourceFile[] = [];
      for (const name of await fs.readdir(sessionsDir)) {
        const id = sessionIdFromFileName(name);
        const file = id === undefined ? undefined : await fileOf(id);
        if (file !== undefined) files.push(file);
      }
      return files;
    },
    file: (id) => fileOf(id),
    async load(id: string): Promise<VerifiedSession | undefined> {
      const loaded = await options.load(id);
      return loaded.ok
        ? { session: loaded.value.session, contentHash: contentHashOf(loaded.value.session) }
        : undefined;
    },
  };
}
