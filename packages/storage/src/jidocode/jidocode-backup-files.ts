import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import type { FileBackend } from '../backend/file/file-backend.js';
import { fileSystemError } from '../errors.js';
import { errnoCode } from '../fs/file-system.js';
import { fileMode } from '../home/secure-directory.js';
import { writeFileDurably } from '../io/durable-write.js';
import { readFileBounded } from '../io/read-file.js';
import type { SessionStore } from '../session-store.js';
import { reencodeJason } from './jason-encoding.js';
import { jidoCodeBackupDir } from './jidocode-backup.js';
import { isJidoCodeSignature, verifyJidoCodeSignature, withoutSignatureLine } from './jidocode-signature.js';
import { jidoCodeValueStrings, replaceJidoCodeStrings } from './jidocode-strings.js';

/** A backup's file name: `<id>.json`, or `<id>.<n>.json` for a later, different original. */
const backupNamePattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\.\d{1,3})?\.json$/;
const maxBackupBytes = 1024 * 1024 * 1024;

/** The file names under `<home>/backup/jidocode/`, sorted (none when the folder does not exist). */
export async function listJidoCodeBackups(store: SessionStore<FileBackend>): Promise<string[]> {
  const { fs, home } = store.backend;
  try {
    return (await fs.readdir(jidoCodeBackupDir(home))).filter((name) => backupNamePattern.test(name)).sort();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw fileSystemError(error, 'list the JidoCode backups', {});
  }
}

function backupPath(store: SessionStore<FileBackend>, name: string): string {
  if (!backupNamePattern.test(name)) {
    throw new JidoError('invalid_value', 'That is not the name of a JidoCode backup.', { details: { name } });
  }
  return join(jidoCodeBackupDir(store.backend.home), name);
}

/** The bytes of one backup (never through a symlink). */
export async function readJidoCodeBackup(
  store: SessionStore<FileBackend>,
  name: string,
): Promise<Uint8Array> {
  const { bytes } = await readFileBounded(
    store.backend.fs,
    backupPath(store, name),
    maxBackupBytes,
    'a backup',
  );
  return bytes;
}

/**
 * Replaces one backup with `bytes` by the durable-write protocol (temp file, fsync, rename, folder
 * fsync, 0600): no copy of the old bytes is left under the home.
 */
export async function replaceJidoCodeBackup(
  store: SessionStore<FileBackend>,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  await writeFileDurably(store.backend.fs, backupPath(store, name), bytes, {
    mode: fileMode,
    action: 'rewrite the JidoCode backup',
  });
}

/** What {@link redactJidoCodeFile} did. */
export interface JidoCodeFileRedaction {
  /** The file with its secret strings replaced (the input itself when nothing changed). */
  readonly bytes: Uint8Array;
  /** How many strings changed. */
  readonly changed: number;
  /**
   * `resigned`: it carried a JidoCode signature that verified, and carries a new valid one, so
   * JidoCode still loads it; `unsigned`: it had none; `unverifiable`: its signature could not be
   * checked (no `machine_secret`, another host) or did not verify, so it keeps the old one, which
   * JidoCode will refuse; `kept`: nothing changed, the file is as it was.
   */
  readonly signature: 'resigned' | 'unsigned' | 'unverifiable' | 'kept';
}

async function jidoCodeKeyIfAvailable(store: SessionStore<FileBackend>): Promise<Uint8Array | undefined> {
  try {
    return await store.backend.jidoCodeKey();
  } catch {
    return undefined;
  }
}

/**
 * A JidoCode file (a backup, or an original) with the string values `redact` changes replaced in
 * place, every other byte kept: Jason's layout, floats and escapes, key order. When it was signed
 * with JidoCode's key and that signature verifies, it is signed again over the new text the way
 * JidoCode signs, so JidoCode can still load it. `redact` gets every string value but the
 * signature, in file order, and returns them in the same order.
 */
export async function redactJidoCodeFile(
  store: SessionStore<FileBackend>,
  bytes: Uint8Array,
  redact: (texts: readonly string[]) => Promise<readonly string[]>,
): Promise<JidoCodeFileRedaction> {
  const text = Buffer.from(bytes).toString('utf8');
  const all = jidoCodeValueStrings(text);
  const isSignature = (token: (typeof all)[number]) => token.key === 'signature' && token.depth === 1;
  const strings = all.filter((token) => !isSignature(token));
  const redacted = await redact(strings.map((token) => token.value));
  const changed = strings.filter((token, index) => redacted[index] !== token.value).length;
  const signatureValue = all.find(isSignature)?.value;
  const signed = isJidoCodeSignature(signatureValue) ? signatureValue : undefined;
  if (changed === 0) return { bytes, changed, signature: signed === undefined ? 'unsigned' : 'kept' };
  let next = replaceJidoCodeStrings(text, strings, redacted);
  if (signed === undefined) return { bytes: Buffer.from(next, 'utf8'), changed, signature: 'unsigned' };
  const key = await jidoCodeKeyIfAvailable(store);
  if (key === undefined || !verifyJidoCodeSignature(bytes, text, signed, key)) {
    return { bytes: Buffer.from(next, 'utf8'), changed, signature: 'unverifiable' };
  }
  const payload =
    withoutSignatureLine(Buffer.from(next, 'utf8'), signed) ?? reencodeJason(next, ['signature']);
  if (payload === undefined) return { bytes: Buffer.from(next, 'utf8'), changed, signature: 'unverifiable' };
  const mac = createHmac('sha256', key).update(payload).digest('base64');
  next = next.replace(`"signature": "${signed}"`, `"signature": "${mac}"`);
  return { bytes: Buffer.from(next, 'utf8'), changed, signature: 'resigned' };
}
