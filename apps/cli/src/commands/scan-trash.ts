import { plural, printable } from '@jido-code/commands/listing';
import type { JidoError, UnsignedSession } from '@jido-code/core-schema';
import { describeKinds, type RedactionSummary, type Redactor } from '@jido-code/session';
import type { SessionBackend, SessionStore, TrashEntry } from '@jido-code/storage';
import type { CommandContext } from '../context.js';

/** A trashed session holding secrets: it can still be restored, exported or searched. */
export interface TrashFinding extends RedactionSummary {
  readonly entry: TrashEntry;
  /** Its name, redacted for printing. */
  readonly name: string;
}

/**
 * The secrets of one session by kind, with its name redacted for printing (a name can hold a secret
 * too); undefined when it holds none.
 */
export async function secretsIn(
  redactor: Redactor,
  session: UnsignedSession,
  name: string,
): Promise<(RedactionSummary & { readonly name: string }) | undefined> {
  const summary = await redactor.scanSession(session);
  if (summary.count === 0) return undefined;
  const [redactedName = ''] = (await redactor.redactTexts([name])).texts;
  return { ...summary, name: redactedName };
}

/** Counts the secrets of every session in the trash, by kind. */
export async function scanTrash(
  store: SessionStore<SessionBackend>,
  redactor: Redactor,
): Promise<{ findings: TrashFinding[]; scanned: number }> {
  const listing = await store.listTrash();
  if (!listing.ok) throw listing.error;
  const findings: TrashFinding[] = [];
  for (const entry of listing.value.entries) {
    const loaded = await store.loadTrashed(entry);
    if (!loaded.ok) continue;
    const found = await secretsIn(redactor, loaded.value.session, entry.name);
    if (found !== undefined) findings.push({ entry, ...found });
  }
  return { findings, scanned: listing.value.entries.length };
}

/**
 * Redacts trashed sessions in place: each is loaded, redacted and written back over its entry,
 * signed anew with its record (the move's reason and time kept). Returns the entries rewritten and
 * those that failed.
 */
export async function fixTrash(
  store: SessionStore<SessionBackend>,
  redactor: Redactor,
  findings: readonly TrashFinding[],
): Promise<{ fixed: string[]; failed: { id: string; error: JidoError }[] }> {
  const fixed: string[] = [];
  const failed: { id: string; error: JidoError }[] = [];
  for (const { entry } of findings) {
    try {
      const loaded = await store.loadTrashed(entry);
      if (!loaded.ok) throw loaded.error;
      const { signature: _signature, ...plain } = loaded.value.session;
      const redacted = await redactor.redactSessionAlways(plain);
      const rewritten = await store.rewriteTrashed(entry, redacted.session);
      if (!rewritten.ok) throw rewritten.error;
      fixed.push(entry.entry);
    } catch (error) {
      failed.push({ id: entry.id, error: error as JidoError });
    }
  }
  return { fixed, failed };
}

/** One line per trashed session with secrets, then a total (nothing when the trash is empty). */
export function printTrashFindings(
  context: CommandContext,
  findings: readonly TrashFinding[],
  scanned: number,
): void {
  if (scanned === 0) return;
  for (const finding of findings) {
    const secrets = `${plural(finding.count, 'secret')} (${describeKinds(finding)})`;
    context.out(`${printable(finding.name)} (${finding.entry.id.slice(0, 8)}, in the trash): ${secrets}`);
  }
  const total = findings.reduce((sum, finding) => sum + finding.count, 0);
  context.out(
    total === 0
      ? `No secrets found in ${plural(scanned, 'trashed session')}.`
      : `Found ${plural(total, 'secret')} in ${findings.length} of ${plural(scanned, 'trashed session')}.`,
  );
}
