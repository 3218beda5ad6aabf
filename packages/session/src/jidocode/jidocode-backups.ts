import {
  type FileBackend,
  type JidoCodeFileRedaction,
  listJidoCodeBackups,
  readJidoCodeBackup,
  redactJidoCodeFile,
  replaceJidoCodeBackup,
  type SessionStore,
} from '@jido-code/storage';
import { emptySummary, type RedactionSummary, type Redactor } from '../redaction/redactor.js';

/** A JidoCode backup (`<home>/backup/jidocode/<file>`) and the secrets in it; never the values. */
export interface BackupFinding extends RedactionSummary {
  readonly file: string;
}

/** A backup rewritten with its secrets redacted, and what became of its JidoCode signature. */
export interface BackupFix extends BackupFinding {
  readonly signature: JidoCodeFileRedaction['signature'];
}

async function redactBackup(
  store: SessionStore<FileBackend>,
  redactor: Redactor,
  file: string,
): Promise<{ redaction: JidoCodeFileRedaction; summary: RedactionSummary }> {
  let summary = emptySummary;
  const bytes = await readJidoCodeBackup(store, file);
  const redaction = await redactJidoCodeFile(store, bytes, async (texts) => {
    const redacted = await redactor.redactTexts(texts);
    summary = redacted.summary;
    return redacted.texts;
  });
  return { redaction, summary };
}

/**
 * The JidoCode backups that hold secrets, whatever the redaction mode (`jido sessions scan`). A
 * backup made before redaction covered backups, or under `warn`/`off`, is the exact original and
 * keeps what JidoCode wrote.
 */
export async function scanJidoCodeBackups(
  store: SessionStore<FileBackend>,
  redactor: Redactor,
): Promise<{ findings: BackupFinding[]; scanned: number }> {
  const files = await listJidoCodeBackups(store);
  const findings: BackupFinding[] = [];
  for (const file of files) {
    const { summary } = await redactBackup(store, redactor, file);
    if (summary.count > 0) findings.push({ file, ...summary });
  }
  return { findings, scanned: files.length };
}

/**
 * Rewrites each of `files` with its secrets redacted (`jido sessions scan --fix`), by the durable
 * write (temp, fsync, rename): no copy of the secret-bearing bytes stays under the home. A backup
 * JidoCode signed with a key this home can derive is signed again, so JidoCode still loads it;
 * otherwise it keeps a signature JidoCode will refuse (`unverifiable`). It is then no longer the
 * byte-for-byte original: only its secrets differ.
 */
export async function fixJidoCodeBackups(
  store: SessionStore<FileBackend>,
  redactor: Redactor,
  files: readonly string[],
): Promise<BackupFix[]> {
  const fixed: BackupFix[] = [];
  for (const file of files) {
    const { redaction, summary } = await redactBackup(store, redactor, file);
    if (redaction.changed === 0) continue;
    await replaceJidoCodeBackup(store, file, redaction.bytes);
    fixed.push({ file, ...summary, signature: redaction.signature });
  }
  return fixed;
}
