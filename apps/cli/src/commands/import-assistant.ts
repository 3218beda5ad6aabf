import { homedir } from 'node:os';
import { plural, printable, sanitizeError, shortId } from '@jido-code/commands/listing';
import { JidoError, type Session, type UnsignedSession } from '@jido-code/core-schema';
import {
  appendImported,
  decideImport,
  type FileReport,
  type ImportItem,
  type ImportTool,
  importTools,
  planImport,
} from '@jido-code/import';
import { type RedactionReport, Redactor, redactionNotice } from '@jido-code/session';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { openStore } from '../store.js';

/** Options of `jido import <tool>`. */
export interface ImportAssistantOptions {
  readonly path?: string;
  readonly project?: string;
  readonly sinceDays?: number;
  readonly dryRun: boolean;
  readonly update: boolean;
  readonly includeSidechains: boolean;
}

/** What happened to one source file, as `--json` lists it. */
interface FileOutcome {
  readonly report: FileReport;
  status: 'imported' | 'updated' | 'skipped' | 'failed';
  message?: string;
  sessionId?: string;
  addedMessages: number;
  /** Secrets found in what was saved (replaced unless redaction is `warn`). */
  secrets?: RedactionReport;
}

const toolNames: Record<ImportTool, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  gemini: 'Gemini CLI',
};
/** Runs with at least this many files show a progress bar on a terminal. */
const progressThreshold = 10;

function parseTool(word: string): ImportTool {
  const tool = importTools.find((name) => name === word);
  if (tool === undefined)
    throw new JidoError('usage', `Unknown tool '${printable(word)}'. Use one of: ${importTools.join(', ')}.`);
  return tool;
}

/** The saved session under an imported id, undefined when there is none; other load errors throw. */
async function loadExisting(store: SessionStore<SessionBackend>, id: string): Promise<Session | undefined> {
  const loaded = await store.load(id);
  if (loaded.ok) return loaded.value.session;
  if (loaded.error.code === 'not_found') return undefined;
  throw loaded.error;
}

/** Saves (or, on a dry run, only decides) one produced session; never throws. */
async function saveOutcome(
  item: ImportItem,
  sessions: SessionStore<SessionBackend>,
  redactor: Redactor,
  options: ImportAssistantOptions,
): Promise<FileOutcome> {
  const outcome: FileOutcome = { report: item.report, status: item.report.status, addedMessages: 0 };
  if (item.report.message !== undefined) outcome.message = item.report.message;
  const found = item.session;
  if (found === undefined) return outcome;
  outcome.sessionId = found.id;
  try {
    const existing = await loadExisting(sessions, found.id);
    let session: UnsignedSession = found;
    if (decideImport(existing, found, options.update).action !== 'skip') {
      // Secrets are redacted on the way in, as for any import, before anything is saved.
      const redacted = await redactor.redactSession(found);
      session = redacted.session;
      outcome.secrets = redacted.report;
    }
    const decision = decideImport(existing, session, options.update);
    if (decision.action === 'skip') {
      outcome.status = 'skipped';
      outcome.message =
        decision.reason === 'up_to_date'
          ? `up to date as ${shortId(decision.id)}`
          : `already imported as ${shortId(decision.id)}`;
    } else if (decision.action === 'conflict') {
      outcome.status = 'failed';
      outcome.message = `its id ${shortId(decision.id)} is taken by a session that was not imported from it`;
    } else if (decision.action === 'create') {
      outcome.addedMessages = session.conversation.length;
      if (!options.dryRun) {
        const saved = await sessions.save(session);
        if (!saved.ok) throw saved.error;
      }
    } else {
      outcome.status = 'updated';
      outcome.addedMessages = decision.messages.length;
      if (!options.dryRun) {
        const saved = await sessions.update(decision.id, (current) => {
          const again = decideImport(current, session, true);
          return again.action === 'append' ? appendImported(current, session, again.messages) : current;
        });
        if (!saved.ok) throw saved.error;
      }
    }
  } catch (error) {
    outcome.status = 'failed';
    outcome.message = `could not be saved: ${sanitizeError(error).message}`;
  }
  return outcome;
}

function describe(outcome: FileOutcome, dryRun: boolean): string {
  const source = printable(outcome.report.path);
  const id = outcome.sessionId === undefined ? '' : ` as ${shortId(outcome.sessionId)}`;
  const would = dryRun ? 'would be ' : '';
  const notice = outcome.secrets === undefined ? undefined : redactionNotice(outcome.secrets);
  const secrets = notice === undefined ? '' : ` ${notice}`;
  if (outcome.status === 'imported')
    return `${source}: ${would}imported${id} (${plural(outcome.addedMessages, 'message')}).${secrets}`;
  if (outcome.status === 'updated')
    return `${source}: ${would}updated${id} (+${plural(outcome.addedMessages, 'message')}).${secrets}`;
  return `${source}: ${outcome.status}, ${outcome.message ?? outcome.report.reason ?? ''}`;
}

function toJson(outcome: FileOutcome) {
  const { report } = outcome;
  return {
    path: report.path,
    status: outcome.status,
    reason: report.reason ?? null,
    message: outcome.message ?? null,
    source_id: report.sourceId ?? null,
    session_id: outcome.sessionId ?? null,
    records: report.records,
    messages: report.messages,
    added_messages: outcome.addedMessages,
    secrets:
      outcome.secrets === undefined ? null : { count: outcome.secrets.count, kinds: outcome.secrets.kinds },
    skipped_records: report.skipped,
    notes: {
      non_utf8_lines: report.notes.nonUtf8Lines,
      crlf_lines: report.notes.crlfLines,
      cut_messages: report.notes.cutMessages,
      project_path_guessed: report.notes.projectPathGuessed,
    },
  };
}

/** A progress display on stderr for long runs on a terminal; undefined otherwise. */
async function progressBar(context: CommandContext, total: number, title: string) {
  if (context.options.json || context.io.stderr.isTTY !== true || total < progressThreshold) return undefined;
  const { progress } = await import('@clack/prompts');
  const bar = progress({ max: total, output: context.io.stderr, withGuide: false });
  bar.start(title);
  return bar;
}

/**
 * `jido import <tool>`: reads another assistant's session files and saves each as a signed jido
 * session: secrets redacted as config `redaction` says, then validated and signed by the store
 * like any save. A source already imported is
 * skipped; `--update` appends what it gained since. Bad files are reported and the run goes on.
 * Exit 1 when nothing was found to read or a save failed; files that are not the tool's format
 * or hold nothing are reported, not failures of the run.
 */
export async function importAssistantCommand(
  context: CommandContext,
  toolWord: string,
  options: ImportAssistantOptions,
): Promise<number> {
  const tool = parseTool(toolWord);
  const plan = await planImport(tool, {
    ...(options.path === undefined ? {} : { path: context.path(options.path) }),
    ...(options.project === undefined ? {} : { project: context.path(options.project) }),
    ...(options.sinceDays === undefined ? {} : { sinceDays: options.sinceDays }),
    includeSidechains: options.includeSidechains,
    userHome: context.io.env.HOME ?? homedir(),
    env: context.io.env,
    workingDirectory: context.io.cwd,
  });
  if (plan.sources.length === 0) {
    const where = options.path === undefined ? 'in its default folders' : `at ${printable(options.path)}`;
    context.note(`jido: No ${toolNames[tool]} session files found ${where}. Use --path to point at them.`);
    return exitFailure;
  }
  const sessions = await openStore(context);
  const redactor = new Redactor(sessions.config);
  const bar = await progressBar(context, plan.sources.length, `Importing ${toolNames[tool]} sessions`);
  const outcomes: FileOutcome[] = [];
  for (const source of plan.sources) {
    outcomes.push(await saveOutcome(await plan.read(source), sessions, redactor, options));
    bar?.advance(1);
  }
  const count = (status: FileOutcome['status']) =>
    outcomes.filter((outcome) => outcome.status === status).length;
  const summary = `${options.dryRun ? 'Dry run: ' : ''}${plural(outcomes.length, 'file')}: ${count('imported')} imported, ${count('updated')} updated, ${count('skipped')} skipped, ${count('failed')} failed.`;
  bar?.stop(summary);
  if (context.options.json) {
    const totals = {
      imported: count('imported'),
      updated: count('updated'),
      skipped: count('skipped'),
      failed: count('failed'),
    };
    const redaction = {
      redaction: sessions.config.redaction,
      count: outcomes.reduce((sum, outcome) => sum + (outcome.secrets?.count ?? 0), 0),
    };
    printJson(context, {
      tool,
      dry_run: options.dryRun,
      totals,
      secrets: redaction,
      files: outcomes.map(toJson),
    });
  } else {
    for (const outcome of outcomes) context.out(describe(outcome, options.dryRun));
    context.out(summary);
  }
  // A file the reader refused is reported above; a session it produced but could not save fails the run.
  const saveFailed = outcomes.some(
    (outcome) => outcome.status === 'failed' && outcome.report.status === 'imported',
  );
  return saveFailed ? exitFailure : exitOk;
}
