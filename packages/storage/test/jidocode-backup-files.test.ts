/**
 * Redacting a JidoCode file in place (issue 21, backups): only the changed strings change, in
 * Jason's layout, and a file JidoCode signed is signed again so JidoCode still loads it. The
 * generator is the oracle: the expected bytes are what JidoCode would write for the redacted
 * document. The redactor itself lives in the session layer; here a callback stands in for it.
 */
import { execFileSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type JasonValue, renderJidoCodeFile, writeJidoCodeHome } from '@jido-code/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FileBackend,
  listJidoCodeBackups,
  migrateJidoCodeFile,
  readJidoCodeBackup,
  redactJidoCodeFile,
  replaceJidoCodeBackup,
  SessionStore,
} from '../src/index.js';
import { jidoCodeValueStrings } from '../src/jidocode/jidocode-strings.js';
import { temporaryDirectory } from './fixtures.js';

const hostname = 'elixir-box';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const secret = /SECRET-[A-Z0-9]+/g;
const redact = async (texts: readonly string[]) =>
  texts.map((text) => text.replace(secret, '[REDACTED:test]'));

function redactedDocument(value: JasonValue): JasonValue {
  if (typeof value === 'string') return value.replace(secret, '[REDACTED:test]');
  if (Array.isArray(value)) return value.map(redactedDocument);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactedDocument(item)]));
  return value;
}

async function leakyHome() {
  const folder = await temporaryDirectory();
  cleanups.push(folder.cleanup);
  const generated = await writeJidoCodeHome({
    home: join(folder.path, '.jido_code'),
    hostname,
    sessions: ['signed', 'unsigned'].map((signing) => ({
      signing: signing as 'signed' | 'unsigned',
      messageCount: 4,
      messageTexts: ['my key is SECRET-AB12 \u001b[31m', 'fine', 'and SECRET-CD34 again'],
      todoTexts: ['rotate SECRET-EF56'],
      name: 'leaky SECRET-GH78',
    })),
  });
  execFileSync('chmod', ['-R', 'go-rwx', generated.home]);
  const opened = await SessionStore.open({ home: generated.home, env: {}, hostname });
  if (!opened.ok) throw opened.error;
  return { generated, store: opened.value as SessionStore<FileBackend> };
}

describe('redactJidoCodeFile', () => {
  it('changes only the secret strings and re-signs with the JidoCode key, as JidoCode would write it', async () => {
    const { generated, store } = await leakyHome();
    const [signed, unsigned] = generated.sessions;
    if (signed === undefined || unsigned === undefined) throw new Error('no sessions');
    const result = await redactJidoCodeFile(store, signed.bytes, redact);
    // name, 2 messages, 1 todo, and the user prompts JidoCode copies into prompt_history.
    expect(result.signature).toBe('resigned');
    expect(result.changed).toBe(5);
    const expected = renderJidoCodeFile(redactedDocument(signed.document) as never, 'signed', generated.key);
    expect(Buffer.from(result.bytes).toString('utf8')).toBe(expected);
    expect(Buffer.from(result.bytes).toString('utf8')).not.toMatch(secret);

    // The rewritten file still loads as signed by JidoCode.
    await writeFile(generated.sessionFile(signed.id), result.bytes);
    const loaded = await store.load(signed.id);
    expect(loaded.ok && loaded.value.signer).toBe('jidocode');

    const plain = await redactJidoCodeFile(store, unsigned.bytes, redact);
    expect(plain.signature).toBe('unsigned');
    expect(Buffer.from(plain.bytes).toString('utf8')).toBe(
      renderJidoCodeFile(redactedDocument(unsigned.document) as never, 'unsigned', undefined),
    );
    const untouched = await redactJidoCodeFile(store, Buffer.from(expected), redact);
    expect(untouched).toMatchObject({ changed: 0, signature: 'kept' });
  });

  it('without machine_secret the signature cannot be renewed and says so', async () => {
    const { generated } = await leakyHome();
    await rm(join(generated.home, 'machine_secret'));
    // A fresh store: the key of the first one is cached for the process, per secret.
    const opened = await SessionStore.open({ home: generated.home, env: {}, hostname });
    if (!opened.ok) throw opened.error;
    const signed = generated.sessions[0];
    if (signed === undefined) throw new Error('no session');
    const result = await redactJidoCodeFile(opened.value as SessionStore<FileBackend>, signed.bytes, redact);
    expect(result.signature).toBe('unverifiable');
    expect(Buffer.from(result.bytes).toString('utf8')).not.toMatch(secret);
  });

  it('names the key each string value is under, in file order, and skips member names', () => {
    const tokens = jidoCodeValueStrings(
      '{\n  "a": "x",\n  "list": [\n    "y",\n    {\n      "k": "z"\n    }\n  ],\n  "q\\"": "w\\\\"\n}',
    );
    expect(tokens.map(({ value, key, depth }) => [value, key, depth])).toEqual([
      ['x', 'a', 1],
      ['y', 'list', 2],
      ['z', 'k', 3],
      ['w\\', 'q"', 1],
    ]);
  });
});

describe('JidoCode backups', () => {
  it('are listed, read and replaced durably (0600, no copy of the old bytes left)', async () => {
    const { generated, store } = await leakyHome();
    const signed = generated.sessions[0];
    if (signed === undefined) throw new Error('no session');
    expect(await listJidoCodeBackups(store)).toEqual([]);
    const entry = await migrateJidoCodeFile(store, signed.id, {
      backupBytes: async (original) => (await redactJidoCodeFile(store, original, redact)).bytes,
    });
    expect(entry.outcome).toBe('migrated');
    expect(await listJidoCodeBackups(store)).toEqual([`${signed.id}.json`]);
    const backup = Buffer.from(await readJidoCodeBackup(store, `${signed.id}.json`)).toString('utf8');
    expect(backup).not.toMatch(secret);
    expect(backup).toContain('[REDACTED:test]');
    await replaceJidoCodeBackup(store, `${signed.id}.json`, signed.bytes);
    expect(Buffer.from(await readJidoCodeBackup(store, `${signed.id}.json`))).toEqual(signed.bytes);
    expect(await readdir(join(generated.home, 'backup', 'jidocode'))).toEqual([`${signed.id}.json`]);
    await expect(readJidoCodeBackup(store, '../sessions/x.json')).rejects.toMatchObject({
      code: 'invalid_value',
    });
  });
});
