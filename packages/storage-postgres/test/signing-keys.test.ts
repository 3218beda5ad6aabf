/**
 * The second signing choice of a team store: keys from `JIDO_SIGNING_KEYS` (a keyring file, say a
 * secret manager's mount) when the database must not hold them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore, type PostgresBackend } from '../src/index.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const schema = database.newSchema();
const opened: SessionStore<PostgresBackend>[] = [];
let folder: string;
let keyringPath: string;

/** A store on this file's schema, as another host would open it with `env`. */
async function storeWith(env: Record<string, string>): Promise<SessionStore<PostgresBackend>> {
  const store = await openPostgresStore({ url: database.url, schema, poolSize: 2, env });
  if (!store.ok) throw store.error;
  opened.push(store.value);
  return store.value;
}

beforeAll(async () => {
  // A keyring in the format JIDO_SIGNING_KEYS names: the one a file home makes on its first save.
  folder = await mkdtemp(join(tmpdir(), 'jido-signing-keys-'));
  const home = await SessionStore.open({ home: join(folder, 'home'), env: {} });
  if (!home.ok) throw home.error;
  const saved = await home.value.save(testSession({}, 1));
  if (!saved.ok) throw saved.error;
  keyringPath = join(folder, 'home', 'keys', 'keyring.json');
});

afterAll(async () => {
  for (const store of opened) await store.backend.close();
  await dropSchema(database.url, schema);
  await rm(folder, { recursive: true, force: true });
});

it('signs with the file: the database holds no key, every host with the file verifies, one without it cannot', async () => {
  const first = await storeWith({ JIDO_SIGNING_KEYS: keyringPath });
  const session = testSession({ name: 'signed outside the database' }, 3);
  const saved = await first.save(session);
  if (!saved.ok) throw saved.error;

  const { rows } = await first.backend.db.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${schema}.documents WHERE kind = 'keyring' AND content IS NOT NULL`,
    [],
    'count keyrings',
  );
  expect(Number(rows[0]?.count)).toBe(0);

  const otherHost = await storeWith({ JIDO_SIGNING_KEYS: keyringPath });
  const loaded = await otherHost.load(session.id);
  expect(loaded.ok && loaded.value.signed).toBe(true);
  expect(loaded.ok && loaded.value.session.name).toBe('signed outside the database');

  // Without the file the store signs with a keyring of its own in the database, which never held
  // the file's key: the session does not verify, so the key really came from the file.
  const withoutFile = await storeWith({});
  const refused = await withoutFile.load(session.id);
  expect(refused.ok).toBe(false);
  expect(refused.ok ? undefined : refused.error.code).toMatch(/signature|key/);
});

it('refuses to rotate keys it does not manage, naming where they are managed', async () => {
  const store = await storeWith({ JIDO_SIGNING_KEYS: keyringPath });
  const rotated = await store.rotateKey();
  expect(rotated.ok).toBe(false);
  expect(rotated.ok ? '' : rotated.error.message).toContain('JIDO_SIGNING_KEYS');
});

it('an unreadable JIDO_SIGNING_KEYS is one typed error naming the setting, not the path', async () => {
  const missing = join(folder, 'no-such-keyring.json');
  const store = await storeWith({ JIDO_SIGNING_KEYS: missing });
  const saved = await store.save(testSession({}, 1));
  expect(saved.ok).toBe(false);
  if (saved.ok) return;
  expect(saved.error.code).toBe('keyring_corrupt');
  expect(saved.error.message).toContain('JIDO_SIGNING_KEYS');
  expect(saved.error.message).not.toContain(missing);
});
