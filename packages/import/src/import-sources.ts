import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { limits, type UnsignedSession } from '@jido-code/core-schema';
import { buildSession } from './build-session.js';
import { readClaudeCode } from './claude-code/read.js';
import { readCodex } from './codex/read.js';
import { findSources, geminiHome, type SourceFile, type ToolHomes } from './discover.js';
import { geminiProjectRoot } from './gemini/project.js';
import { readGemini } from './gemini/read.js';
import { type FileReport, type ImportTool, newFileReport, settle } from './report.js';
import type { ReaderOptions, Transcript } from './transcript.js';

/** Options of an import run. Every limit has a default. */
export interface ImportOptions {
  /** A file or folder to read instead of the tool's default folders. */
  readonly path?: string | undefined;
  /** Only sessions whose project path is this folder or inside it. */
  readonly project?: string | undefined;
  /** Only files changed in the last this many days. */
  readonly sinceDays?: number | undefined;
  /** Import subagent (sidechain) records and files too. */
  readonly includeSidechains?: boolean | undefined;
  /** The user's home folder; defaults to `os.homedir()`. */
  readonly userHome?: string | undefined;
  /** Environment for `CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock; defaults to the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Folder whose Gemini project hash is tried when a chat file names no project; defaults to the cwd. */
  readonly workingDirectory?: string | undefined;
  /** Longest message kept whole (default 100,000 characters); longer ones are cut and marked. */
  readonly maxMessageChars?: number | undefined;
  /** Longest tool-call argument summary (default 500 characters). */
  readonly maxToolArgumentChars?: number | undefined;
  /** Longest tool-result summary (default 2,000 characters). */
  readonly maxToolResultChars?: number | undefined;
  /** Largest session produced, in serialized bytes (default: the session file cap less 64 KiB). */
  readonly maxSessionBytes?: number | undefined;
  /** Largest source file read (default 1 GiB). */
  readonly maxSourceBytes?: number | undefined;
}

/** One file's outcome: its report, and the session when one was produced. */
export interface ImportItem {
  readonly report: FileReport;
  /** Validated and unsigned: the caller signs and saves it. */
  readonly session?: UnsignedSession;
}

/** Options with every default filled in. */
interface Settings extends ReaderOptions {
  readonly tool: ImportTool;
  readonly homes: ToolHomes;
  readonly now: () => Date;
  readonly project: string | undefined;
  readonly sinceDays: number | undefined;
  readonly workingDirectory: string;
  readonly maxMessageChars: number;
  readonly maxSessionBytes: number;
  readonly maxSourceBytes: number;
}

function settingsOf(tool: ImportTool, options: ImportOptions): Settings {
  return {
    tool,
    homes: { userHome: options.userHome ?? homedir(), env: options.env ?? process.env },
    now: options.now ?? (() => new Date()),
    project: options.project === undefined ? undefined : resolve(options.project),
    sinceDays: options.sinceDays,
    workingDirectory: options.workingDirectory ?? process.cwd(),
    includeSidechains: options.includeSidechains ?? false,
    maxToolArgumentChars: options.maxToolArgumentChars ?? 500,
    maxToolResultChars: options.maxToolResultChars ?? 2_000,
    maxMessageChars: options.maxMessageChars ?? 100_000,
    maxSessionBytes: options.maxSessionBytes ?? limits.maxFileSizeBytes - 64 * 1024,
    maxSourceBytes: options.maxSourceBytes ?? 1024 * 1024 * 1024,
  };
}

const toolNames: Record<ImportTool, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  gemini: 'Gemini CLI',
};

async function readTranscript(source: SourceFile, bytes: Uint8Array, report: FileReport, settings: Settings) {
  if (settings.tool === 'claude-code') {
    const subagents = settings.includeSidechains
      ? await Promise.all(source.subagents.map((path) => readFile(path)))
      : [];
    if (!settings.includeSidechains && source.subagents.length > 0)
      report.skipped.sidechain = (report.skipped.sidechain ?? 0) + source.subagents.length;
    return readClaudeCode(bytes, source.path, report, settings, subagents);
  }
  if (settings.tool === 'codex') return readCodex(bytes, source.path, report, settings);
  const candidates = [settings.project, settings.workingDirectory].filter(
    (dir): dir is string => dir !== undefined,
  );
  const root = await geminiProjectRoot(source.path, geminiHome(settings.homes), candidates);
  return readGemini(bytes, source.path, report, settings, root);
}

function inProject(transcript: Transcript, project: string | undefined): boolean {
  if (project === undefined) return true;
  const cwd = transcript.cwd;
  return (
    cwd !== undefined && (cwd === project || cwd.startsWith(project.endsWith('/') ? project : `${project}/`))
  );
}

/** Reads one source file into a session. Never throws: every problem ends up in the report. */
async function readSource(source: SourceFile, settings: Settings): Promise<ImportItem> {
  const report = newFileReport(settings.tool, source.path);
  const name = toolNames[settings.tool];
  if (source.superseded)
    return {
      report: settle(report, 'skipped', 'superseded', 'was migrated to a .jsonl file, which is read instead'),
    };
  const since = settings.sinceDays;
  if (since !== undefined && source.mtimeMs < settings.now().getTime() - since * 86_400_000)
    return {
      report: settle(report, 'skipped', 'filtered_out', `was last changed more than ${since} days ago`),
    };
  if (source.size > settings.maxSourceBytes)
    return {
      report: settle(
        report,
        'failed',
        'too_large',
        `is larger than the ${settings.maxSourceBytes} byte limit`,
      ),
    };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source.path);
  } catch {
    return {
      report: settle(
        report,
        'failed',
        'unreadable',
        'could not be read; check that it exists and is readable',
      ),
    };
  }
  try {
    const transcript = await readTranscript(source, bytes, report, settings);
    if (!transcript)
      return { report: settle(report, 'failed', 'wrong_format', `is not a ${name} session file`) };
    if (!inProject(transcript, settings.project))
      return { report: settle(report, 'skipped', 'filtered_out', 'belongs to another project') };
    const session = buildSession(transcript, report, {
      tool: settings.tool,
      path: source.path,
      importedAt: settings.now().toISOString(),
      maxMessageChars: settings.maxMessageChars,
      maxSessionBytes: settings.maxSessionBytes,
      fallbackProjectPath: settings.project ?? settings.homes.userHome,
      fallbackTime: new Date(source.mtimeMs).toISOString(),
    });
    return session ? { report, session } : { report };
  } catch {
    return {
      report: settle(report, 'failed', 'reader_error', `could not be read as a ${name} session file`),
    };
  }
}

/** A prepared import: the files found, and a reader for each. */
export interface ImportPlan {
  readonly tool: ImportTool;
  readonly sources: readonly SourceFile[];
  /** Reads one of {@link sources}. Never throws. */
  read(source: SourceFile): Promise<ImportItem>;
}

/** Finds the files to import for a tool; read them one at a time with the plan's `read`. */
export async function planImport(tool: ImportTool, options: ImportOptions = {}): Promise<ImportPlan> {
  const settings = settingsOf(tool, options);
  const sources = await findSources(tool, settings.homes, {
    includeSidechains: settings.includeSidechains,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  return { tool, sources, read: (source) => readSource(source, settings) };
}

/** Every file's outcome, one file at a time (files are read lazily). */
export async function* importSessions(
  tool: ImportTool,
  options: ImportOptions = {},
): AsyncGenerator<ImportItem> {
  const plan = await planImport(tool, options);
  for (const source of plan.sources) yield await plan.read(source);
}
