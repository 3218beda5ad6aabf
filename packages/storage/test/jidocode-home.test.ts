/**
 * Issue #15: a home written by JidoCode (the Elixir original) works on first run. Every home here
 * comes from test-support's generator, which writes JidoCode's format from the facts.
 */
import { execFileSync } from 'node:child_process';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type JidoCodeHomeOptions, writeJidoCodeHome } from '@jido-code/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore, type StorageOptions } from '../src/index.js';
import { jidoCodeKeyDerivations } from '../src/jidocode/jidocode-key.js';
import { temporaryDirectory } from './fixtures.js';

const hostname = 'jidocode-laptop.example.org';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function generatedHome(options: Partial<JidoCodeHomeOptions> = {}) {
  const folder = await temporaryDirectory();
  cleanups.push(folder.cleanup);
  return writeJidoCodeHome({ home: join(folder.path, '.jido_code'), hostname, ...options });
}

async function openStore(home: string, options: Partial<StorageOptions> = {}): Promise<SessionStore> {
  const opened = await SessionStore.open({ home, env: {}, hostname, ...options });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

function chmodPrivate(home: string): void {
  execFileSync('chmod', ['-R', 'go-rwx', home]);
}

describe('a JidoCode home', () => {
  it('is refused while open to others, with the exact chmod and doctor named; lists every session after that chmod', async () => {
    const generated = await generatedHome();
    const refused = await SessionStore.open({ home: generated.home, env: {}, hostname });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('unsafe_home');
    expect(refused.error.message).toContain(`chmod -R go-rwx ${generated.home}`);
    expect(refused.error.message).toContain('jido doctor --fix');
    chmodPrivate(generated.home);
    const store = await openStore(generated.home);
    const listing = await store.listPersisted();
    if (!listing.ok) throw listing.error;
    expect(listing.value.problems).toEqual([]);
    const byId = new Map(listing.value.sessions.map((session) => [session.id, session]));
    for (const session of generated.sessions) {
      expect(byId.get(session.id)).toMatchObject({
        message_count: session.messageCount,
        todo_count: session.todoCount,
        signed: session.signing === 'signed',
        signed_by: session.signing === 'signed' ? 'jidocode' : null,
      });
    }
  });

  it('loads each kind oldest-first with every JidoCode field kept as written', async () => {
    const generated = await generatedHome();
    chmodPrivate(generated.home);
    const store = await openStore(generated.home);
    for (const session of generated.sessions) {
      const loaded = await store.load(session.id);
      if (!loaded.ok) throw loaded.error;
      const written = JSON.parse(session.bytes.toString('utf8')) as Record<string, unknown>;
      expect(loaded.value.signed).toBe(session.signing === 'signed');
      expect(loaded.value.warnings).toEqual(
        session.signing === 'signed' ? ['jidocode_key', 'reordered'] : ['unsigned', 'reordered'],
      );
      expect(loaded.value.session.conversation.map((message) => message.id)).toEqual(
        session.messageIdsOldestFirst,
      );
      expect(loaded.value.session.conversation).toEqual([...(written.conversation as unknown[])].reverse());
      for (const field of [
        'language',
        'prompt_history',
        'cumulative_usage',
        'created_at',
        'config',
        'todos',
      ]) {
        expect(loaded.value.session[field as 'language']).toEqual(written[field]);
      }
      expect(loaded.value.session.created_at).toMatch(/\.\d{6}Z$/);
    }
  });

  it('keeps a conversation with ties or mixed order as written', async () => {
    const generated = await generatedHome({
      sessions: [{ signing: 'unsigned', oldestFirst: true, messageCount: 3 }],
    });
    chmodPrivate(generated.home);
    const session = generated.sessions[0];
    if (session === undefined) throw new Error('no session');
    const path = generated.sessionFile(session.id);
    const text = session.bytes.toString('utf8');
    const times = [...text.matchAll(/"timestamp": "([^"]+)"/g)].map((match) => match[1] ?? '');
    // Mixed: the first two swapped, the third still latest.
    const mixed = text
      .replace(times[0] ?? '', 'FIRST')
      .replace(times[1] ?? '', times[0] ?? '')
      .replace('FIRST', times[1] ?? '');
    await writeFile(path, mixed);
    const store = await openStore(generated.home);
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.value.warnings).not.toContain('reordered');
    expect(loaded.value.session.conversation.map((message) => message.id)).toEqual(
      session.messageIdsOldestFirst,
    );
    const tied = text.replaceAll(/"timestamp": "[^"]+"/g, `"timestamp": "${times[0]}"`);
    await writeFile(path, tied);
    const tiedLoad = await store.load(session.id);
    expect(tiedLoad.ok && tiedLoad.value.warnings).toEqual(['unsigned']);
  });

  it('refuses a signed file with one flipped byte as tampered, and one signed on another host', async () => {
    const generated = await generatedHome({ sessions: [{ signing: 'signed' }] });
    chmodPrivate(generated.home);
    const session = generated.sessions[0];
    if (session === undefined) throw new Error('no session');
    const path = generated.sessionFile(session.id);
    const at = session.bytes.indexOf('message 1');
    const flipped = Buffer.from(session.bytes);
    flipped[at] = (flipped[at] ?? 0) ^ 0x01;
    await writeFile(path, flipped);
    const store = await openStore(generated.home);
    const refused = await store.load(session.id);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('signature_invalid');
    await writeFile(path, session.bytes);
    const otherHost = await openStore(generated.home, { hostname: 'another-machine' });
    const foreign = await otherHost.load(session.id);
    expect(!foreign.ok && foreign.error.code).toBe('signature_invalid');
  });

  it('verifies a reformatted but unchanged file by re-encoding it the Jason way', async () => {
    const generated = await generatedHome({ sessions: [{ signing: 'signed' }] });
    chmodPrivate(generated.home);
    const session = generated.sessions[0];
    if (session === undefined) throw new Error('no session');
    const reindented = session.bytes.toString('utf8').replace(/^( +)/gm, '$1$1');
    await writeFile(generated.sessionFile(session.id), `${reindented}\n`);
    const store = await openStore(generated.home);
    const loaded = await store.load(session.id);
    expect(loaded.ok && loaded.value.signed).toBe(true);
  });

  it('reports unknown_key naming machine_secret when it is missing or short', async () => {
    const generated = await generatedHome({ sessions: [{ signing: 'signed' }] });
    chmodPrivate(generated.home);
    const id = generated.sessions[0]?.id ?? '';
    const secret = join(generated.home, 'machine_secret');
    await writeFile(secret, generated.machineSecret.subarray(0, 40));
    const store = await openStore(generated.home);
    for (const change of [async () => undefined, async () => rm(secret)]) {
      await change();
      const loaded = await store.load(id);
      expect(loaded.ok).toBe(false);
      if (loaded.ok) continue;
      expect(loaded.error.code).toBe('unknown_key');
      expect(loaded.error.message).toContain('machine_secret');
    }
  });

  it('derives the JidoCode key only when a JidoCode-signed file is met, and once', async () => {
    const generated = await generatedHome({
      seed: 77,
      sessions: [{ signing: 'unsigned' }, { signing: 'null-signature' }],
    });
    chmodPrivate(generated.home);
    const before = jidoCodeKeyDerivations();
    const store = await openStore(generated.home);
    const listing = await store.listPersisted();
    expect(listing.ok && listing.value.sessions).toHaveLength(2);
    expect(jidoCodeKeyDerivations()).toBe(before);
    const signedHome = await generatedHome({
      seed: 78,
      sessions: [{ signing: 'signed' }, { signing: 'signed' }],
    });
    chmodPrivate(signedHome.home);
    const signedStore = await openStore(signedHome.home);
    for (const session of signedHome.sessions) expect((await signedStore.load(session.id)).ok).toBe(true);
    expect(jidoCodeKeyDerivations()).toBe(before + 1);
  });

  it('refuses unsigned files under the reject policy', async () => {
    const generated = await generatedHome();
    chmodPrivate(generated.home);
    const store = await openStore(generated.home, { config: { unsigned_policy: 'reject' } });
    const codes = await Promise.all(
      generated.sessions.map(async (session) => {
        const loaded = await store.load(session.id);
        return loaded.ok ? 'ok' : loaded.error.code;
      }),
    );
    expect(codes).toEqual(['ok', 'unsigned', 'unsigned']);
  });

  it('refuses a stripped signature on an id once verified, in this process and the next', async () => {
    const generated = await generatedHome({ sessions: [{ signing: 'signed' }] });
    chmodPrivate(generated.home);
    const session = generated.sessions[0];
    if (session === undefined) throw new Error('no session');
    const store = await openStore(generated.home);
    expect((await store.load(session.id)).ok).toBe(true);
    const text = session.bytes.toString('utf8');
    const stripped = text.replace(/ {2}"signature": "[^"]+",\n/, '');
    const nulled = text.replace(/"signature": "[^"]+"/, '"signature": null');
    const renamed = text.replace('"signature":', '"signaturf":');
    for (const edited of [stripped, nulled, renamed]) {
      await writeFile(generated.sessionFile(session.id), edited);
      for (const reader of [
        store,
        await openStore(generated.home, { config: { unsigned_policy: 'accept' } }),
      ]) {
        const loaded = await reader.load(session.id);
        expect(!loaded.ok && loaded.error.code).toBe('signature_invalid');
      }
    }
  });

  it('backs up a resumed JidoCode file byte for byte on its first save, and only then', async () => {
    const generated = await generatedHome();
    chmodPrivate(generated.home);
    const store = await openStore(generated.home);
    for (const session of generated.sessions) {
      const loaded = await store.load(session.id);
      if (!loaded.ok) throw loaded.error;
      const saved = await store.save({ ...loaded.value.session, name: 'renamed' });
      if (!saved.ok) throw saved.error;
      const backup = join(generated.home, 'backup', 'jidocode', `${session.id}.json`);
      expect(await readFile(backup)).toEqual(session.bytes);
      expect((await stat(backup)).mode & 0o777).toBe(0o600);
      expect((await stat(join(generated.home, 'backup', 'jidocode'))).mode & 0o777).toBe(0o700);
      const again = await store.save({ ...loaded.value.session, name: 'renamed again' });
      expect(again.ok).toBe(true);
      expect(await readFile(backup)).toEqual(session.bytes);
      const reloaded = await store.load(session.id);
      expect(reloaded.ok && reloaded.value).toMatchObject({ signed: true, signer: 'keyring', warnings: [] });
      expect(reloaded.ok && reloaded.value.session.conversation.map((message) => message.id)).toEqual(
        session.messageIdsOldestFirst,
      );
    }
  });

  it('keeps the home it was given: a 0755 sessions folder alone is refused too', async () => {
    const generated = await generatedHome();
    chmodPrivate(generated.home);
    await chmod(generated.sessionsDir, 0o755);
    const refused = await SessionStore.open({ home: generated.home, env: {}, hostname });
    expect(!refused.ok && refused.error.message).toContain(`chmod -R go-rwx ${generated.home}`);
  });
});
