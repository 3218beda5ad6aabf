import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImportTool } from './report.js';

/** One file found to import. */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Claude Code 2.1 subagent files of this session (`<stem>/subagents/*.jsonl`). */
  readonly subagents: readonly string[];
  /** Set when a newer file replaces this one (a Gemini `.json` migrated to `.jsonl`). */
  readonly superseded: boolean;
}

/** Where each tool keeps its sessions. */
export interface ToolHomes {
  /** The user's home folder. */
  readonly userHome: string;
  /** Environment (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The folders a tool's sessions live in by default. */
export function defaultRoots(tool: ImportTool, homes: ToolHomes): string[] {
  const { env, userHome } = homes;
  if (tool === 'claude-code') return [join(env.CLAUDE_CONFIG_DIR ?? join(userHome, '.claude'), 'projects')];
  if (tool === 'codex') {
    const codexHome = env.CODEX_HOME ?? join(userHome, '.codex');
    return [join(codexHome, 'sessions'), join(codexHome, 'archived_sessions')];
  }
  return [join(geminiHome(homes), 'tmp')];
}

/** Gemini CLI's own folder (`~/.gemini`). */
export function geminiHome(homes: ToolHomes): string {
  return join(homes.env.GEMINI_CLI_HOME ?? homes.userHome, '.gemini');
}

const maxDepth = 8;

/** Files under `dir` (depth-bounded, symlinks not followed) that `accept` keeps. */
async function walk(dir: string, accept: (path: string) => boolean, depth = 0): Promise<string[]> {
  if (depth > maxDepth) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path, accept, depth + 1)));
    else if (entry.isFile() && accept(path)) found.push(path);
  }
  return found;
}

function acceptor(
  tool: ImportTool,
  includeSidechains: boolean,
  explicit: boolean,
): (path: string) => boolean {
  if (tool === 'gemini' && explicit) return (path) => /\.jsonl?$/.test(path);
  if (tool === 'claude-code')
    return (path) => path.endsWith('.jsonl') && basename(dirname(path)) !== 'subagents';
  if (tool === 'codex') return (path) => path.endsWith('.jsonl');
  return (path) => {
    if (!/\.jsonl?$/.test(path)) return false;
    if (basename(dirname(path)) === 'chats' || basename(path).startsWith('session-')) return true;
    return includeSidechains && basename(dirname(dirname(path))) === 'chats';
  };
}

async function statFile(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const stats = await lstat(path);
    return stats.isFile() ? { size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files to import for a tool, sorted by path: under `path` when given (a file or a folder),
 * else under the tool's default folders. Nothing is opened for writing.
 */
export async function findSources(
  tool: ImportTool,
  homes: ToolHomes,
  options: { readonly path?: string; readonly includeSidechains: boolean },
): Promise<SourceFile[]> {
  const accept = acceptor(tool, options.includeSidechains, options.path !== undefined);
  const roots = options.path === undefined ? defaultRoots(tool, homes) : [resolve(options.path)];
  const paths: string[] = [];
  for (const root of roots) {
    const stats = await statFile(root);
    if (stats) paths.push(root);
    else paths.push(...(await walk(root, accept)));
  }
  const all = new Set(paths);
  const sources: SourceFile[] = [];
  for (const path of paths) {
    const stats = await statFile(path);
    if (!stats) continue;
    const subagents =
      tool === 'claude-code'
        ? await walk(
            join(path.replace(/\.jsonl$/, ''), 'subagents'),
            (file) => file.endsWith('.jsonl'),
            maxDepth,
          )
        : [];
    const superseded = tool === 'gemini' && path.endsWith('.json') && all.has(`${path}l`);
    sources.push({ path, ...stats, subagents, superseded });
  }
  return sources;
}
