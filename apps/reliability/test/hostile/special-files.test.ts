/**
 * Guarantee 5 (docs/architecture.md) and 6 against files that are not plain files, or not plain sizes: a symlink, a FIFO, a
 * directory named like a session, a file over the cap, a file growing while it is read, and the
 * largest valid files. Loading and listing never throw, never hang, return documented codes, and
 * the load time of the big ones is measured (reported, not asserted).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Session } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { percentile, reportFigure } from '../support/figures.js';
import { documentedLoadCodes, MessageAudit } from '../support/messages.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';

const factory = new SessionFactory({ seed: 5150 });
const audit = new MessageAudit();
let home: string;
let store: SessionStore;

beforeEach(async () => {
  home = makePrivateHome('jido-rel-special-');
  store = await openSuiteStore(home);
  audit.forbid(home);
});
afterEach(() => removePrivateHome(home));
afterAll(() => {
  reportFigure('special-files audit', audit.stats);
  expect(audit.violations()).toEqual([]);
});

const sessionPath = (id: string) => join(store.backend.sessionsDir, `${id}.json`);

async function loadCode(id: string): Promise<string> {
  const loaded = await store.load(id);
  if (!loaded.ok) {
    audit.record(loaded.error);
    expect(documentedLoadCodes.has(loaded.error.code)).toBe(true);
  }
  return loaded.ok ? 'ok' : loaded.error.code;
}

async function listProblems(): Promise<Record<string, string>> {
  const listing = await store.listPersisted();
  expect(listing.ok).toBe(true);
  if (!listing.ok) return {};
  for (const problem of listing.value.problems) audit.record(problem.error);
  return Object.fromEntries(
    listing.value.problems.map((problem) => [problem.id ?? problem.file, problem.error.code]),
  );
}

describe('special files in the sessions folder', () => {
  it('a symlink named like a session is refused and its target never read or changed', async () => {
    const victim = factory.session() as Session;
    const saved = await store.save(victim);
    expect(saved.ok).toBe(true);
    const outside = join(home, 'outside.json');
    writeFileSync(outside, readFileSync(sessionPath(victim.id)));
    const id = factory.uuid();
    // A copy of a valid file under another name would be refused anyway (id mismatch); point the
    // link at a valid file *of that id* to prove the link itself is what is refused.
    const twin = { ...victim, id } as Session;
    expect((await store.save(twin)).ok).toBe(true);
    const twinBytes = readFileSync(sessionPath(id));
    writeFileSync(outside, twinBytes);
    execFileSync('rm', [sessionPath(id)]);
    symlinkSync(outside, sessionPath(id));
    expect(await loadCode(id)).toBe('permission_denied');
    expect((await listProblems())[id]).toBe('permission_denied');
    expect(readFileSync(outside).equals(twinBytes)).toBe(true);
  });

  it('a FIFO named like a session is refused without blocking', async () => {
    const id = factory.uuid();
    execFileSync('mkfifo', ['-m', '600', sessionPath(id)]);
    const started = performance.now();
    expect(await loadCode(id)).toBe('permission_denied');
    expect((await listProblems())[id]).toBe('permission_denied');
    reportFigure('fifo load ms', (performance.now() - started).toFixed(2));
  });

  it('a directory named like a session is refused, listed as a problem', async () => {
    const id = factory.uuid();
    mkdirSync(sessionPath(id), { mode: 0o700 });
    expect(await loadCode(id)).toBe('permission_denied');
    expect((await listProblems())[id]).toBe('permission_denied');
  });

  it('a file over the cap is refused before it is read (sparse 64 GiB and cap + 1)', async () => {
    const id = factory.uuid();
    const times: number[] = [];
    for (const size of [store.config.max_file_size_bytes + 1, 64 * 1024 ** 3]) {
      writeFileSync(sessionPath(id), '');
      truncateSync(sessionPath(id), size);
      const started = performance.now();
      expect(await loadCode(id)).toBe('too_large');
      times.push(performance.now() - started);
    }
    expect((await listProblems())[id]).toBe('too_large');
    reportFigure(
      'over-cap load ms (cap+1, 64 GiB sparse)',
      times.map((time) => time.toFixed(2)),
    );
  });

  it('a file growing while it is read gives a bounded, typed result', { timeout: 120_000 }, async () => {
    const id = factory.uuid();
    writeFileSync(sessionPath(id), '{"version":1,');
    // A child appends as fast as it can while this process loads the file again and again.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');const p=process.argv[1];const chunk=Buffer.alloc(65536,'a');
         const end=Date.now()+60000;
         (function loop(){ if(Date.now()>end) return; try{fs.appendFileSync(p,chunk)}catch{};
           try{ if(fs.statSync(p).size>8*1024*1024) fs.truncateSync(p,13) }catch{}; setImmediate(loop)})();`,
        sessionPath(id),
      ],
      { stdio: 'ignore' },
    );
    const codes = new Map<string, number>();
    const times: number[] = [];
    try {
      for (let attempt = 0; attempt < 200; attempt++) {
        const started = performance.now();
        const code = await loadCode(id);
        times.push(performance.now() - started);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(codes.has('ok')).toBe(false);
    reportFigure('growing file: outcomes', Object.fromEntries(codes));
    reportFigure('growing file: load ms p50/p99', [
      percentile(times, 50).toFixed(2),
      percentile(times, 99).toFixed(2),
    ]);
  });

  it('valid files up to the cap load; their load time is reported', { timeout: 300_000 }, async () => {
    const rows: Record<string, string> = {};
    for (const target of [64 * 1024, 1024 * 1024, 9 * 1024 * 1024]) {
      const session = factory.session({ messageCount: 0 }) as Session;
      const messageSize = 16 * 1024;
      const count = Math.floor(target / (messageSize + 150));
      const big = {
        ...session,
        conversation: Array.from({ length: count }, (_, index) =>
          factory.message({ content: String(index % 10).repeat(messageSize) }),
        ),
      };
      const saved = await store.save(big);
      expect(saved.ok, saved.ok ? '' : saved.error.code).toBe(true);
      const times: number[] = [];
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        expect(await loadCode(session.id)).toBe('ok');
        times.push(performance.now() - started);
      }
      rows[`${saved.ok ? saved.value.bytes : 0} B`] =
        `p50 ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
    }
    reportFigure('valid big files: load time', rows);
  });
});
