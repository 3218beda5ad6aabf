import { plural, printable, sanitizeError, shortId } from '@jido-code/commands/listing';
import { resolveHome } from '@jido-code/storage';
import type { SyncEntry } from '@jido-code/storage-postgres';
import { type CommandContext, printJson } from '../context.js';
import { cliUsageError } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { openLocation } from '../store.js';
import { locateStore, resolveStoreLocation, type StoreLocation } from '../store-location.js';

/** Options of `jido sessions sync`. */
export interface SyncCommandOptions {
  /** `--to URL|DIR`: copy from this run's store to that one. */
  readonly to?: string;
  /** `--from URL|DIR`: copy from that store into this run's one. */
  readonly from?: string;
  /** Report what would change; change nothing. */
  readonly dryRun: boolean;
}

const usageHint = "Run 'jido sessions sync --help' for usage.";

/**
 * `jido sessions sync --to URL | --from URL [--dry-run]`: copies sessions between this run's store
 * (`--store`, `$JIDO_STORE_URL`, `store_url`, else the home) and another store, a PostgreSQL URL or
 * a home folder. Missing sessions are copied; for the same id with different content the newer
 * `updated_at` wins and the other version goes to the trash of its side. Exit 1 when any session
 * could not be handled (each such line says why).
 */
export async function syncCommand(context: CommandContext, options: SyncCommandOptions): Promise<number> {
  const direction = options.to !== undefined ? 'to' : 'from';
  const value = options.to ?? options.from;
  if (value === undefined || (options.to !== undefined && options.from !== undefined)) {
    throw cliUsageError('Give exactly one of --to URL or --from URL.', usageHint);
  }
  const here = await resolveStoreLocation(context);
  const there = await locateStore(context, value, direction === 'to' ? '--to' : '--from');
  const [hereName, thereName] = [await describe(context, here), await describe(context, there)];
  if (hereName === thereName) {
    throw cliUsageError(
      `--${direction} names the store this command already uses (${thereName}).`,
      usageHint,
    );
  }
  const local = (await openLocation(context, here)).store;
  const remote = (await openLocation(context, there)).store;
  const [source, target] = direction === 'to' ? [local, remote] : [remote, local];
  const { syncSessions } = await import('@jido-code/storage-postgres');
  const report = await syncSessions(source, target, { dryRun: options.dryRun });
  const [from, to] = direction === 'to' ? [hereName, thereName] : [thereName, hereName];
  const count = (action: SyncEntry['action']) =>
    report.entries.filter((entry) => entry.action === action).length;
  const failed = report.entries.some((entry) => entry.error !== undefined);
  if (context.options.json) {
    printJson(context, {
      dry_run: report.dryRun,
      source: from,
      target: to,
      copied: count('copied'),
      updated: count('updated'),
      kept: count('kept'),
      entries: report.entries.map(jsonEntry),
    });
    return failed ? exitFailure : exitOk;
  }
  context.out(`${options.dryRun ? 'Would sync' : 'Synced'} from ${from} (source) to ${to} (target).`);
  for (const entry of report.entries) context.out(textLine(entry, options.dryRun));
  const summary = `${count('copied')} copied, ${count('updated')} updated, ${count('kept')} kept`;
  context.out(
    options.dryRun
      ? `Dry run: ${summary}; nothing was changed.`
      : `${summary} (${plural(report.entries.length, 'session')}).`,
  );
  return failed ? exitFailure : exitOk;
}

const verbs: Readonly<Record<SyncEntry['action'], readonly [string, string]>> = {
  copied: ['copied', 'would copy'],
  updated: ['updated', 'would update'],
  kept: ['kept', 'would keep'],
};

function textLine(entry: SyncEntry, dryRun: boolean): string {
  const verb = verbs[entry.action][dryRun ? 1 : 0];
  const id = /^[0-9a-f-]{36}$/.test(entry.id) ? shortId(entry.id) : printable(entry.id);
  const name = entry.name === '' ? '' : ` ${printable(entry.name)}`;
  const why = entry.error === undefined ? '' : `: ${sanitizeError(entry.error).message}`;
  return `  ${verb.padEnd(12)} ${id}${name} (${entry.reason}${why})`;
}

function jsonEntry(entry: SyncEntry) {
  return {
    id: entry.id,
    name: entry.name,
    action: entry.action,
    side: entry.side,
    reason: entry.reason,
    ...(entry.error === undefined
      ? {}
      : { error: { code: entry.error.code, message: sanitizeError(entry.error).message } }),
  };
}

/** A store as the report names it: the URL without its password, or the home folder. */
async function describe(context: CommandContext, location: StoreLocation): Promise<string> {
  if (location.kind === 'postgres') {
    const { redactUrl } = await import('@jido-code/storage-postgres');
    const schema = location.schema === undefined ? '' : ` (schema ${location.schema})`;
    return `${redactUrl(location.url)}${schema}`;
  }
  return printable(location.home ?? resolveHome({ env: context.io.env }));
}
