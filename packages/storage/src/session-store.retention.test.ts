import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { overriding, sessionFixture, testStoreSetup } from '../test/fixtures.js';
import { runWorker } from '../test/run-worker.js';
import { nodeFileSystem } from './fs/file-system.js';
import { SessionStore } from './session-store.js';

const setup = testStoreSetup();

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();

type Fixture = ReturnType<typeof sessionFixture>;

/**
 * Runs a cleanup from a second store over `store`'s home that, when it first opens `old`'s lock,
 * has another process save `change(old)` (in this process, the lock queue would wait for the
 * cleaner). Resolves to the cleanup's report and whether that save happened.
 */
async function cleanupRacingASave(
  store: Awaited<ReturnType<typeof setup>>['store'],
  old: Fixture,
  change: (session: Fixture) => Fixture,
) {
  const victimLock = store.backend.layout.sessionLock(old.id);
  let saved = false;
  const cleaner = await SessionStore.open({
    home: store.backend.home,
    env: {},
    fs: overriding({
      open: async (path, flags, mode) => {
        if (path === victimLock && !saved) {
          saved = true;
          await runWorker('save', [store.backend.home, JSON.stringify(change(old))]);
        }
        return nodeFileSystem.open(path, flags, mode);
      },
    }),
  });
  if (!cleaner.ok) throw cleaner.error;
  const report = await cleaner.value.cleanup();
  if (!report.ok) throw report.error;
  return { report: report.value, saved };
}

function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
  );
}

describe('leases', () => {
  it('one holder at a time, this process included; released leases can be taken again', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    const first = await store.acquireLease(session.id);
    expect(first.ok).toBe(true);
    const second = await store.acquireLease(session.id);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.code).toBe('already_open_elsewhere');
    expect(unwrap(await store.leaseHolder(session.id))).toMatchObject({
      id: session.id,
      pid: process.pid,
      host: hostname(),
    });
    if (first.ok) await first.value.release();
    expect(unwrap(await store.leaseHolder(session.id))).toBeUndefined();
    const third = await store.acquireLease(session.id);
    expect(third.ok).toBe(true);
    if (third.ok) await third.value.release();
  });

  it("a dead process's lease is ignored, cleaned up and taken over", async () => {
    const { store } = await setup();
    const session = sessionFixture();
    const path = join(store.backend.home, 'leases', `${session.id}.lease`);
    await writeFile(
      path,
      JSON.stringify({ pid: deadPid(), host: hostname(), nonce: 'x', created_at: new Date().toISOString() }),
    );
    expect(unwrap(await store.leaseHolder(session.id))).toBeUndefined();
    const lease = await store.acquireLease(session.id);
    expect(lease.ok).toBe(true);
    if (lease.ok) await lease.value.release();
  });
});

describe('delete', () => {
  it('is idempotent and refuses a leased session', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    await store.save(session);
    const lease = await store.acquireLease(session.id);
    if (!lease.ok) throw lease.error;
    const refused = await store.delete(session.id);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('session_active');
    await lease.value.release();
    expect(await store.delete(session.id)).toEqual({ ok: true, value: { deleted: true, purged: false } });
    expect(await store.delete(session.id)).toEqual({ ok: true, value: { deleted: false, purged: false } });
    expect(await readdir(store.backend.sessionsDir)).toEqual([]);
    // It went to the trash, not away.
    const trash = await store.listTrash();
    expect(trash.ok && trash.value.entries.map((entry) => [entry.id, entry.reason])).toEqual([
      [session.id, 'delete'],
    ]);
  });

  it('with purge deletes for good; a pinned session needs force', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    await store.save(session);
    expect((await store.setPinned(session.id, true)).ok).toBe(true);
    const refused = await store.delete(session.id, { purge: true });
    expect(refused.ok || refused.error.code).toBe('confirmation_required');
    expect((await store.load(session.id)).ok).toBe(true);
    expect(await store.delete(session.id, { purge: true, force: true })).toEqual({
      ok: true,
      value: { deleted: true, purged: true },
    });
    expect(await readdir(store.backend.sessionsDir)).toEqual([]);
    expect(await store.listTrash()).toEqual({ ok: true, value: { entries: [], problems: [] } });
  });
});

describe('clear', () => {
  it('deletes every session that is not active or leased, and reports them', async () => {
    const { store } = await setup();
    const [free, active, leased] = [sessionFixture(), sessionFixture(), sessionFixture()];
    for (const session of [free, active, leased]) await store.save(session);
    const corruptId = '123e4567-e89b-42d3-a456-426614174009';
    await writeFile(join(store.backend.sessionsDir, `${corruptId}.json`), 'garbage');
    const lease = await store.acquireLease(leased.id);
    if (!lease.ok) throw lease.error;
    const report = await store.clear({ ids: [active.id] });
    if (!report.ok) throw report.error;
    expect(report.value.deleted.sort()).toEqual([free.id, corruptId].sort());
    expect(report.value.skipped.sort()).toEqual([active.id, leased.id].sort());
    expect((await readdir(store.backend.sessionsDir)).sort()).toEqual(
      [`${active.id}.json`, `${leased.id}.json`].sort(),
    );
    await lease.value.release();
  });
});

describe('cleanup', () => {
  it('deletes by age (default from config), never a leased session, and continues past failures', async () => {
    const { store } = await setup();
    const recent = sessionFixture({ closed_at: daysAgo(1), updated_at: daysAgo(1) });
    const old = sessionFixture({ closed_at: daysAgo(40), updated_at: daysAgo(40) });
    const oldLeased = sessionFixture({ closed_at: daysAgo(50), updated_at: daysAgo(50) });
    const oldFailing = sessionFixture({ closed_at: daysAgo(60), updated_at: daysAgo(60) });
    const resumedRecently = sessionFixture({
      closed_at: daysAgo(45),
      updated_at: daysAgo(45),
      last_resumed_at: daysAgo(2),
    });
    for (const session of [recent, old, oldLeased, oldFailing, resumedRecently]) await store.save(session);
    const lease = await store.acquireLease(oldLeased.id);
    if (!lease.ok) throw lease.error;

    const dry = await store.cleanup({ dryRun: true });
    expect(dry.ok && dry.value.deleted.sort()).toEqual([old.id, oldFailing.id].sort());
    expect((await readdir(store.backend.sessionsDir)).length).toBe(5);

    const failing = await SessionStore.open({
      home: store.backend.home,
      env: {},
      fs: overriding({
        rename: async (from, to) => {
          if (from.endsWith(`${oldFailing.id}.json`)) throw Object.assign(new Error('EIO'), { code: 'EIO' });
          return nodeFileSystem.rename(from, to);
        },
      }),
    });
    if (!failing.ok) throw failing.error;
    const report = await failing.value.cleanup();
    if (!report.ok) throw report.error;
    expect(report.value.deleted).toEqual([old.id]);
    expect(report.value.skipped).toEqual([oldLeased.id]);
    expect(report.value.failed).toEqual([oldFailing.id]);
    expect(report.value.errors[0]?.error.code).toBe('io_error');
    expect((await readdir(store.backend.sessionsDir)).sort()).toEqual(
      [recent.id, oldLeased.id, oldFailing.id, resumedRecently.id].map((id) => `${id}.json`).sort(),
    );
    await lease.value.release();
  });

  it('keeps only the newest maxCount sessions, skipping active ones', async () => {
    const { store } = await setup();
    const sessions = Array.from({ length: 5 }, (_, index) =>
      sessionFixture({ closed_at: daysAgo(5 - index), updated_at: daysAgo(5 - index) }),
    );
    for (const session of sessions) await store.save(session);
    const [oldest, second] = sessions;
    if (!oldest || !second) throw new Error('unreachable');
    const report = await store.cleanup({ maxCount: 2, active: { ids: [oldest.id] } });
    if (!report.ok) throw report.error;
    expect(report.value.skipped).toEqual([oldest.id]);
    expect(report.value.deleted.sort()).toEqual([second.id, sessions[2]?.id].sort());
  });

  it('keeps a session saved again after the cleanup listed it, reported as changed (not as open)', {
    timeout: 30_000,
  }, async () => {
    const { store } = await setup();
    const old = sessionFixture({ closed_at: daysAgo(40), updated_at: daysAgo(40) });
    await store.save(old);
    // Another process saves it as fresh.
    const { report, saved: resaved } = await cleanupRacingASave(store, old, (session) => ({
      ...session,
      updated_at: new Date().toISOString(),
    }));
    expect(resaved).toBe(true);
    expect(report).toMatchObject({ deleted: [], skipped: [], changed: [old.id], failed: [] });
    expect((await store.load(old.id)).ok).toBe(true);
  });
});

describe('cleanup racing a resume', () => {
  it('keeps a session resumed (only last_resumed_at changed) after the cleanup listed it', {
    timeout: 30_000,
  }, async () => {
    const { store } = await setup();
    const old = sessionFixture({ closed_at: daysAgo(40), updated_at: daysAgo(40) });
    await store.save(old);
    // Another process resumes it: a save that sets only last_resumed_at.
    const { report, saved: resumed } = await cleanupRacingASave(store, old, (session) => ({
      ...session,
      last_resumed_at: new Date().toISOString(),
    }));
    expect(resumed).toBe(true);
    expect(report).toMatchObject({ deleted: [], changed: [old.id] });
    const trash = await store.listTrash();
    expect(trash.ok && trash.value.entries).toEqual([]);
  });
});

describe('session count limit', () => {
  it('refuses a new session at the limit, warns at the ratio, and lets existing sessions save', async () => {
    const { store } = await setup({ config: { max_sessions: 5, session_warn_ratio: 0.8 } });
    const sessions = Array.from({ length: 5 }, () => sessionFixture());
    const reports = [];
    for (const session of sessions) reports.push(await store.save(session));
    expect(reports.map((report) => report.ok && report.value.warning?.count)).toEqual([
      undefined,
      undefined,
      undefined,
      4,
      5,
    ]);
    const refused = await store.save(sessionFixture());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('session_count_limit');
    const [first] = sessions;
    if (!first) throw new Error('unreachable');
    expect((await store.save({ ...first, name: 'Still saves' })).ok).toBe(true);
    expect((await readdir(store.backend.sessionsDir)).length).toBe(5);
  });

  it('with auto-cleanup, removes the least recently used non-leased session first', async () => {
    const { store } = await setup({ config: { max_sessions: 3, auto_cleanup_on_limit: true } });
    const oldest = sessionFixture({ closed_at: daysAgo(30), updated_at: daysAgo(30) });
    const oldestButResumed = sessionFixture({
      closed_at: daysAgo(40),
      updated_at: daysAgo(40),
      last_resumed_at: daysAgo(1),
    });
    const leasedOld = sessionFixture({ closed_at: daysAgo(50), updated_at: daysAgo(50) });
    for (const session of [oldest, oldestButResumed, leasedOld]) await store.save(session);
    const lease = await store.acquireLease(leasedOld.id);
    if (!lease.ok) throw lease.error;
    const fresh = sessionFixture();
    const saved = await store.save(fresh);
    expect(saved.ok).toBe(true);
    expect((await readdir(store.backend.sessionsDir)).sort()).toEqual(
      [oldestButResumed.id, leasedOld.id, fresh.id].map((id) => `${id}.json`).sort(),
    );
    // Moved to the trash, not deleted; the trash does not count against the limit.
    const trash = await store.listTrash();
    expect(trash.ok && trash.value.entries.map((entry) => [entry.id, entry.reason])).toEqual([
      [oldest.id, 'limit'],
    ]);
    expect((await store.save(sessionFixture({ closed_at: daysAgo(0) }))).ok).toBe(true);
    await lease.value.release();
  });

  it('with auto-cleanup but every session leased, refuses', async () => {
    const { store } = await setup({ config: { max_sessions: 1, auto_cleanup_on_limit: true } });
    const only = sessionFixture();
    await store.save(only);
    const lease = await store.acquireLease(only.id);
    if (!lease.ok) throw lease.error;
    const refused = await store.save(sessionFixture());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('session_count_limit');
    await lease.value.release();
  });
});

describe('verifyAll', () => {
  it('checks every file and sorts them into valid, unsigned (legacy) and failed', async () => {
    const { store } = await setup();
    const good = sessionFixture();
    await store.save(good);
    const { version: _version, closed_at: _closed, ...legacy } = sessionFixture();
    await writeFile(join(store.backend.sessionsDir, `${legacy.id}.json`), JSON.stringify(legacy));
    const stripped = sessionFixture({ id: '123e4567-e89b-42d3-a456-42661417400b' });
    await writeFile(join(store.backend.sessionsDir, `${stripped.id}.json`), JSON.stringify(stripped));
    const badId = '123e4567-e89b-42d3-a456-42661417400a';
    await writeFile(join(store.backend.sessionsDir, `${badId}.json`), '[]');
    const report = await store.verifyAll();
    if (!report.ok) throw report.error;
    expect(report.value.checked).toBe(4);
    expect(report.value.valid).toEqual([good.id]);
    expect(report.value.jidocode).toEqual([]);
    // An unsigned version-1 file for an id never seen signed is treated as JidoCode did: accepted.
    expect([...report.value.unsigned].sort()).toEqual([legacy.id, stripped.id].sort());
    expect(report.value.failed.map((problem) => [problem.id, problem.error.code]).sort()).toEqual([
      [badId, 'invalid_schema'],
    ]);
  });
});

describe('keys', () => {
  it('rotates; files signed with the older key still load', async () => {
    const { store } = await setup();
    const before = sessionFixture();
    await store.save(before);
    const rotated = await store.rotateKey();
    expect(rotated.ok && rotated.value.signing).toBe(true);
    const after = sessionFixture();
    await store.save(after);
    expect((await store.load(before.id)).ok).toBe(true);
    expect((await store.load(after.id)).ok).toBe(true);
  });

  it('reloads the keyring once on unknown_key, picking up a rotation by another process', async () => {
    const { store } = await setup();
    unwrap(await store.keyring());
    const other = await SessionStore.open({ home: store.backend.home, env: {} });
    if (!other.ok) throw other.error;
    await other.value.rotateKey();
    const session = sessionFixture();
    await other.value.save(session);
    expect(await store.load(session.id)).toMatchObject({ ok: true, value: { signed: true } });
  });
});
