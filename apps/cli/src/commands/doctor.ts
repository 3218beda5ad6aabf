import { printable, sanitizeError } from '@jido-code/commands/listing';
import { type DoctorReport, diagnoseHome } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import type { StoreLocation } from '../store-location.js';

/** Options of `jido doctor`. */
export interface DoctorCommandOptions {
  /** Tighten modes under the home and rebuild the index. */
  readonly fix: boolean;
}

const refusalText: Readonly<Record<string, string>> = {
  symlink: 'a symbolic link: not followed, not changed',
  foreign_owner: 'owned by another user: not changed',
  not_directory: 'not a folder',
  unreadable: 'could not be read',
};

function describe(report: DoctorReport, fix: boolean): string[] {
  const owner =
    report.owner === null ? 'missing' : report.owner.yours ? 'you' : `uid ${report.owner.uid} (not you)`;
  const lines = [
    `Home:     ${printable(report.home)}`,
    `Owner:    ${owner}`,
    `Mode:     ${report.mode ?? '-'}`,
  ];
  if (report.open_paths.length === 0) lines.push('Modes:    private (nothing open to group or others)');
  for (const open of report.open_paths) {
    const state = open.fixed ? 'tightened' : fix ? 'NOT tightened' : 'open to others';
    lines.push(`  ${open.mode}  ${printable(open.path)}  ${state}`);
  }
  if (!fix && report.open_paths.length > 0) lines.push("  Run 'jido doctor --fix' to make them private.");
  for (const refused of report.refused_paths) {
    lines.push(`  refused  ${printable(refused.path)}  ${refusalText[refused.reason] ?? refused.reason}`);
  }
  const { signed, unsigned, machine_secret } = report.jidocode;
  lines.push(
    `JidoCode: ${signed.length} signed, ${unsigned.length} unsigned file(s); machine_secret ${machine_secret ? 'present' : 'absent'}`,
  );
  if (signed.length + unsigned.length > 0)
    lines.push("  'jido sessions migrate' converts them (with backups).");
  lines.push(`Temp files left over: ${report.temp_files.length}`);
  for (const temp of report.temp_files) lines.push(`  ${printable(temp)}`);
  lines.push(`Journals not yet recovered: ${report.journals.length}`);
  if (report.journals.length > 0) lines.push('  The next jido command that opens the home recovers them.');
  if (report.open_journals.length > 0)
    lines.push(`Journals of sessions open in a live jido process: ${report.open_journals.length}`);
  const index = report.index;
  const indexState = !index.present ? 'absent' : index.readable ? `${index.entries} entries` : 'damaged';
  lines.push(
    `Index:    ${indexState} for ${index.session_files} session file(s)${index.rebuilt ? ', rebuilt' : ''}${index.rebuild_error ? `, rebuild failed (${index.rebuild_error})` : ''}`,
  );
  lines.push(report.healthy ? 'Healthy.' : 'Needs attention.');
  return lines;
}

/** `jido doctor [--fix]`: the home's owner and modes, JidoCode files, temp files, journals, index. */
export async function doctorCommand(context: CommandContext, options: DoctorCommandOptions): Promise<number> {
  const { resolveStoreLocation } = await import('../store-location.js');
  const location = await resolveStoreLocation(context);
  if (location.kind === 'postgres') return doctorDatabase(context, location);
  const home = location.home;
  const diagnosed = await diagnoseHome({
    ...(home === undefined ? {} : { home }),
    env: context.io.env,
    fix: options.fix,
  });
  if (!diagnosed.ok) throw diagnosed.error;
  const report = diagnosed.value;
  if (context.options.json) printJson(context, { fix: options.fix, ...report });
  else context.out(describe(report, options.fix).join('\n'));
  return report.healthy ? exitOk : exitFailure;
}

/**
 * `jido doctor` on a PostgreSQL store: the home checks mean nothing there; it connects (which
 * migrates), lists every session, and reports what does not load. `--fix` has nothing to change.
 */
async function doctorDatabase(
  context: CommandContext,
  location: Extract<StoreLocation, { kind: 'postgres' }>,
): Promise<number> {
  const { openLocation } = await import('../store.js');
  const { redactUrl } = await import('@jido-code/storage-postgres');
  const { store } = await openLocation(context, location);
  const listing = await store.listPersisted();
  if (!listing.ok) throw listing.error;
  const { sessions, problems } = listing.value;
  const name = `${redactUrl(location.url)}${location.schema === undefined ? '' : ` (schema ${location.schema})`}`;
  const healthy = problems.length === 0;
  if (context.options.json) {
    printJson(context, {
      store: name,
      kind: 'postgresql',
      sessions: sessions.length,
      problems: problems.map((problem) => ({ id: problem.id ?? null, code: problem.error.code })),
      healthy,
    });
  } else {
    context.out(`Store:    PostgreSQL ${name}: connected, schema up to date`);
    context.out(`Sessions: ${sessions.length}, ${problems.length} that do not load`);
    for (const problem of problems)
      context.out(`  ${problem.id ?? '?'}  ${sanitizeError(problem.error).message}`);
    context.out(healthy ? 'Healthy.' : 'Needs attention.');
  }
  return healthy ? exitOk : exitFailure;
}
