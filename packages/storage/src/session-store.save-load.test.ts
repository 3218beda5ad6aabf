import { chmod, chown, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, type Session, unwrap } from '@jido-code/core-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, overriding, sessionFixture, temporaryDirectory } from '../test/fixtures.js';
import { nodeFileSystem } from './fs/file-system.js';
import { SessionStore } from './session-store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Parameters<typeof openTestStore>[0] = {}) {
  const opened = await openTestStore(options);
  cleanups.push(opened.cleanup);
  return opened;
}

function expectError<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string } },
  code: string,
) {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
}

describe('SessionStore.open', () => {
  it('creates the home and its folders with mode 0700 whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      const { home } = await setup();
      for (const folder of ['', 'sessions', 'locks', 'leases', 'keys', 'state', 'index']) {
        expect((await lstat(join(home, folder))).mode & 0o777).toBe(0o700);
      }
    } finally {
      process.umask(previous);
    }
  });

  it('refuses a home that is a symlink, open to group or others, or owned by another user', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.cleanup);
    const real = join(directory.path, 'real');
    await mkdir(real, { mode: 0o700 });
    const link = join(directory.path, 'link');
    await symlink(real, link);
    expectError(await SessionStore.open({ home: link, env: {} }), 'unsafe_home');

    for (const mode of [0o777, 0o755, 0o750, 0o711, 0o701, 0o740]) {
      const open = join(directory.path, `open-${mode.toString(8)}`);
      await mkdir(open);
      await chmod(open, mode);
      const refused = await SessionStore.open({ home: open, env: {} });
      expectError(refused, 'unsafe_home');
      // The one path shown is the home itself, inside the exact fix (issue #15); nothing else.
      if (!refused.ok) {
        expect(refused.error.message).toContain(
          `Fix it with: chmod -R go-rwx ${open} (or run: jido doctor --fix)`,
        );
        expect(refused.error.message.replaceAll(open, '<home>')).not.toContain(directory.path);
      }
    }

    if (process.getuid?.() === 0) {
      const foreign = join(directory.path, 'foreign');
      await mkdir(foreign, { mode: 0o700 });
      await chown(foreign, 65534, 65534);
      expectError(await SessionStore.open({ home: foreign, env: {} }), 'unsafe_home');
    }
  });

  it('refuses a sessions folder that is a symlink', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.cleanup);
    const home = join(directory.path, 'home');
    await mkdir(home, { mode: 0o700 });
    await mkdir(join(directory.path, 'elsewhere'), { mode: 0o700 });
    await symlink(join(directory.path, 'elsewhere'), join(home, 'sessions'));
    expectError(await SessionStore.open({ home, env: {} }), 'unsafe_home');
  });

  it('reads limits from config.json, then the environment, then explicit overrides', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.cleanup);
    const home = join(directory.path, 'home');
    await mkdir(home, { mode: 0o700 });
    await writeFile(join(home, 'config.json'), JSON.stringify({ max_sessions: 7, session_warn_ratio: 0.5 }));
    const fromFile = await SessionStore.open({ home, env: {} });
    expect(fromFile.ok && fromFile.value.config.max_sessions).toBe(7);
    const fromEnv = await SessionStore.open({ home, env: { JIDO_MAX_SESSIONS: '9' } });
    expect(fromEnv.ok && fromEnv.value.config.max_sessions).toBe(9);
    expect(fromEnv.ok && fromEnv.value.config.session_warn_ratio).toBe(0.5);
    const overridden = await SessionStore.open({
      home,
      env: { JIDO_MAX_SESSIONS: '9' },
      config: { max_sessions: 3 },
    });
    expect(overridden.ok && overridden.value.config.max_sessions).toBe(3);
    await writeFile(join(home, 'config.json'), JSON.stringify({ max_sessions: -1 }));
    expectError(await SessionStore.open({ home, env: {} }), 'invalid_config');
    await writeFile(join(home, 'config.json'), '{nope');
    expectError(await SessionStore.open({ home, env: {} }), 'invalid_config');
  });

  it('sweeps temp files older than a few minutes and keeps recent ones', async () => {
    const { store, home } = await setup();
    const old = join(home, 'sessions', '.123e4567-e89b-42d3-a456-426614174000.0123456789abcdef.tmp');
    const fresh = join(home, 'sessions', '.123e4567-e89b-42d3-a456-426614174000.fedcba9876543210.tmp');
    await writeFile(old, 'partial');
    await writeFile(fresh, 'partial');
    const { utimes } = await import('node:fs/promises');
    const longAgo = new Date(Date.now() - 10 * 60 * 1000);
    await utimes(old, longAgo, longAgo);
    expect(unwrap(await store.sweepTemporaryFiles())).toBe(1);
    expect(await readdir(join(home, 'sessions'))).toEqual([
      '.123e4567-e89b-42d3-a456-426614174000.fedcba9876543210.tmp',
    ]);
  });
});

describe('save and load', () => {
  it('round-trips every field and signs the file', async () => {
    const { store } = await setup();
    const session = sessionFixture({ recovered_at: null, parent_id: null });
    const saved = await store.save(session);
    expect(saved).toMatchObject({ ok: true, value: { id: session.id, created: true } });
    const loaded = await store.load(session.id);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const { signature, ...rest } = loaded.value.session;
    expect(rest).toEqual(session);
    expect(signature).toMatch(/^v1:/);
    expect(loaded.value).toMatchObject({ signed: true, fromVersion: 1, warnings: [] });
  });

  it('writes canonical JSON with mode 0600 and no temp file left', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    await store.save(session);
    const path = join(store.backend.sessionsDir, `${session.id}.json`);
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    const parsed = JSON.parse(text);
    const canonical = canonicalJson(parsed);
    expect(canonical.ok && canonical.value).toBe(text);
    expect(await readdir(store.backend.sessionsDir)).toEqual([`${session.id}.json`]);
    expect((await lstat(join(store.backend.home, 'keys', 'keyring.json'))).mode & 0o777).toBe(0o600);
  });

  it('reports created only for a new file', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    await store.save(session);
    expect(await store.save({ ...session, name: 'Renamed' })).toMatchObject({
      ok: true,
      value: { created: false },
    });
  });

  it('refuses an invalid session with invalid_schema and writes nothing', async () => {
    const { store } = await setup();
    const session = sessionFixture({ name: '' });
    expectError(await store.save(session), 'invalid_schema');
    expect(await readdir(store.backend.sessionsDir)).toEqual([]);
  });

  it('refuses a session over the size cap on write, writing nothing', async () => {
    const { store } = await setup({ config: { max_file_size_bytes: 2_000 } });
    const session = sessionFixture({
      conversation: [
        { id: 'm', role: 'user', content: 'x'.repeat(3_000), timestamp: '2025-01-01T10:00:00.000Z' },
      ],
    });
    const result = await store.save(session);
    expectError(result, 'too_large');
    expect(await readdir(store.backend.sessionsDir)).toEqual([]);
  });

  it.each([
    ['traversal', '../../../etc/passwd'],
    ['absolute', '/etc/passwd'],
    ['NUL', '123e4567-e89b-42d3-a456-426614174000\0'],
    ['upper case', '123E4567-E89B-42D3-A456-426614174000'],
    ['UUID v1', '123e4567-e89b-12d3-a456-426614174000'],
  ])('refuses the %s id before any file-system call', async (_name, id) => {
    const { store } = await setup();
    let calls = 0;
    const counting = new Proxy(store.backend.fs, {
      get(target, key) {
        const value = Reflect.get(target, key);
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              calls += 1;
              return value.apply(target, args);
            }
          : value;
      },
    });
    const opened = await SessionStore.open({ home: store.backend.home, env: {}, fs: counting });
    if (!opened.ok) throw opened.error;
    calls = 0;
    expectError(await opened.value.load(id), 'invalid_id');
    expectError(await opened.value.delete(id), 'invalid_id');
    expectError(await opened.value.save({ ...sessionFixture(), id }), 'invalid_id');
    expectError(await opened.value.acquireLease(id), 'invalid_id');
    expect(calls).toBe(0);
  });
});

describe('load errors', () => {
  const id = '123e4567-e89b-42d3-a456-426614174000';

  it('not_found for a missing session', async () => {
    const { store } = await setup();
    expectError(await store.load(id), 'not_found');
  });

  it('too_large before reading a file over the cap', async () => {
    const { store } = await setup({ config: { max_file_size_bytes: 1_000 } });
    await writeFile(join(store.backend.sessionsDir, `${id}.json`), ' '.repeat(1_001));
    const result = await store.load(id);
    expectError(result, 'too_large');
  });

  it('invalid_json for bad JSON and for invalid UTF-8', async () => {
    const { store } = await setup();
    const path = join(store.backend.sessionsDir, `${id}.json`);
    await writeFile(path, '{"version": 1,');
    expectError(await store.load(id), 'invalid_json');
    await writeFile(path, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expectError(await store.load(id), 'invalid_json');
  });

  it('too_deep for absurd nesting, without throwing', async () => {
    const { store } = await setup();
    await writeFile(
      join(store.backend.sessionsDir, `${id}.json`),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const result = await store.load(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['too_deep', 'invalid_schema', 'invalid_json']).toContain(result.error.code);
  });

  it('invalid_schema for a wrong shape and for a file holding another id', async () => {
    const { store } = await setup();
    const path = join(store.backend.sessionsDir, `${id}.json`);
    await writeFile(path, JSON.stringify({ version: 1, id }));
    expectError(await store.load(id), 'invalid_schema');
    await writeFile(path, JSON.stringify(sessionFixture()));
    expectError(await store.load(id), 'invalid_schema');
  });

  it('unsupported_version for a newer format; an older one is migrated', async () => {
    const { store } = await setup();
    const path = join(store.backend.sessionsDir, `${id}.json`);
    await writeFile(path, JSON.stringify({ ...sessionFixture({ id }), version: 99 }));
    const newer = await store.load(id);
    expectError(newer, 'unsupported_version');
    const { version: _version, closed_at: _closed, ...legacy } = sessionFixture({ id });
    await writeFile(path, JSON.stringify(legacy));
    const older = await store.load(id);
    expect(older).toMatchObject({ ok: true, value: { fromVersion: 0, signed: false } });
    if (older.ok) expect(older.value.warnings).toEqual(['unsigned', 'migrated']);
  });

  it('signature_invalid for a tampered file, with no key id or path in the message', async () => {
    const { store } = await setup();
    const session = sessionFixture({ id });
    await store.save(session);
    const path = join(store.backend.sessionsDir, `${id}.json`);
    const document = JSON.parse(await readFile(path, 'utf8')) as Session;
    await writeFile(path, JSON.stringify({ ...document, name: 'Tampered' }));
    const result = await store.load(id);
    expectError(result, 'signature_invalid');
    if (!result.ok) {
      expect(result.error.message).not.toContain(store.backend.home);
      expect(result.error.message).not.toContain(document.signature?.split(':')[1] ?? '??');
      expect(result.error.message).not.toContain(document.signature?.split(':')[2] ?? '??');
    }
  });

  it('signature_invalid for an unknown key added to a signed file', async () => {
    const { store } = await setup();
    await store.save(sessionFixture({ id }));
    const path = join(store.backend.sessionsDir, `${id}.json`);
    const document = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...document, smuggled: true }));
    expectError(await store.load(id), 'signature_invalid');
  });

  it('unknown_key for a file signed by another keyring', async () => {
    const { store } = await setup();
    const other = await setup();
    await other.store.save(sessionFixture({ id }));
    await writeFile(
      join(store.backend.sessionsDir, `${id}.json`),
      await readFile(join(other.store.backend.sessionsDir, `${id}.json`)),
    );
    expectError(await store.load(id), 'unknown_key');
  });

  it('an unsigned legacy file is accepted with a warning by default, refused under the reject policy, never re-signed', async () => {
    const { store } = await setup();
    const path = join(store.backend.sessionsDir, `${id}.json`);
    const { version: _version, closed_at: _closed, ...legacy } = sessionFixture({ id });
    const text = JSON.stringify(legacy);
    await writeFile(path, text);
    const accepted = await store.load(id);
    expect(accepted).toMatchObject({
      ok: true,
      value: { signed: false, warnings: ['unsigned', 'migrated'] },
    });
    expect(await readFile(path, 'utf8')).toBe(text);
    const strict = await SessionStore.open({
      home: store.backend.home,
      env: { JIDO_UNSIGNED_POLICY: 'reject' },
    });
    if (!strict.ok) throw strict.error;
    expectError(await strict.value.load(id), 'unsigned');
  });

  it('a stripped or renamed signature on an id once saved signed is refused as tampered under either policy', async () => {
    const { store } = await setup();
    await store.save(sessionFixture({ id }));
    const path = join(store.backend.sessionsDir, `${id}.json`);
    const { signature: _stripped, ...rest } = JSON.parse(await readFile(path, 'utf8')) as Record<
      string,
      unknown
    >;
    const renamed = (await readFile(path, 'utf8')).replace('"signature":', '"signaturf":');
    const strict = await SessionStore.open({
      home: store.backend.home,
      env: { JIDO_UNSIGNED_POLICY: 'reject' },
    });
    if (!strict.ok) throw strict.error;
    for (const text of [JSON.stringify({ ...rest, name: 'Changed' }), renamed]) {
      await writeFile(path, text);
      for (const reader of [store, strict.value]) {
        const refused = await reader.load(id);
        expectError(refused, 'signature_invalid');
        expect(!refused.ok && refused.error.message).toContain('tampered');
      }
      expect(await readFile(path, 'utf8')).toBe(text);
    }
    const listing = await store.listPersisted();
    expect(listing.ok && listing.value.problems.map((problem) => problem.error.code)).toEqual([
      'signature_invalid',
    ]);
  });

  it('a renamed signature is refused even for an id never seen signed; a plain unsigned one loads', async () => {
    const { store } = await setup();
    const other = await setup();
    await other.store.save(sessionFixture({ id }));
    const signedElsewhere = await readFile(join(other.store.backend.sessionsDir, `${id}.json`), 'utf8');
    const path = join(store.backend.sessionsDir, `${id}.json`);
    await writeFile(path, signedElsewhere.replace('"signature":', '"sig":'));
    expectError(await store.load(id), 'signature_invalid');
    const { signature: _gone, ...plain } = JSON.parse(signedElsewhere) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(plain));
    expect(await store.load(id)).toMatchObject({
      ok: true,
      value: { signed: false, warnings: ['unsigned'] },
    });
  });

  it('permission_denied for a symlink in place of the session file, which is not followed', async () => {
    const { store, home } = await setup();
    const outside = join(home, 'outside.json');
    await writeFile(outside, JSON.stringify(sessionFixture({ id })));
    await symlink(outside, join(store.backend.sessionsDir, `${id}.json`));
    expectError(await store.load(id), 'permission_denied');
  });

  it('permission_denied and io_error from the file system are typed, never thrown', async () => {
    const { store } = await setup();
    await store.save(sessionFixture({ id }));
    const failing = (code: string) =>
      SessionStore.open({
        home: store.backend.home,
        env: {},
        fs: overriding({
          open: async (path, flags, mode) => {
            if (path.endsWith(`${id}.json`)) throw Object.assign(new Error(code), { code });
            return nodeFileSystem.open(path, flags, mode);
          },
        }),
      });
    for (const [errno, code] of [
      ['EACCES', 'permission_denied'],
      ['EIO', 'io_error'],
      ['EMFILE', 'io_error'],
    ] as const) {
      const opened = await failing(errno);
      if (!opened.ok) throw opened.error;
      const result = await opened.value.load(id);
      expectError(result, code);
      if (!result.ok) expect(result.error.details).toMatchObject({ errno });
    }
  });
});

describe('save durability through the store', () => {
  it('a failed fsync fails the save, keeps the previous file byte-identical and leaves no temp file', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    await store.save(session);
    unwrap(await store.keyring());
    const path = join(store.backend.sessionsDir, `${session.id}.json`);
    const before = await readFile(path);
    let fsyncCalls = 0;
    const opened = await SessionStore.open({
      home: store.backend.home,
      env: {},
      fs: overriding({
        fsync: async () => {
          fsyncCalls += 1;
          throw Object.assign(new Error('EIO'), { code: 'EIO' });
        },
      }),
    });
    if (!opened.ok) throw opened.error;
    unwrap(await opened.value.keyring());
    fsyncCalls = 0;
    const result = await opened.value.save({ ...session, name: 'Changed' });
    expectError(result, 'io_error');
    expect(fsyncCalls).toBe(1);
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(store.backend.sessionsDir)).toEqual([`${session.id}.json`]);
  });
});

describe('concurrent saves in one process', () => {
  it('serializes them: every save lands, the last requested state wins', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) => store.save({ ...session, name: `Version ${index}` })),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const loaded = await store.load(session.id);
    expect(loaded.ok && loaded.value.session.name).toBe('Version 24');
  });

  it('update is a read-modify-write that loses no increment', async () => {
    const { store } = await setup();
    const session = sessionFixture({ cumulative_usage: { counter: 0 } });
    await store.save(session);
    const updates = await Promise.all(
      Array.from({ length: 30 }, () =>
        store.update(session.id, (current) => ({
          ...current,
          cumulative_usage: { counter: (current.cumulative_usage?.counter ?? 0) + 1 },
        })),
      ),
    );
    expect(updates.every((result) => result.ok)).toBe(true);
    const loaded = await store.load(session.id);
    expect(loaded.ok && loaded.value.session.cumulative_usage?.counter).toBe(30);
  });
});
