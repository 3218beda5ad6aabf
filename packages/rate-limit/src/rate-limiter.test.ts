import { isJidoError, JidoError } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { documentRateLimitStore } from './document-store.js';
import type { LockedDocument } from './locked-document.js';
import { memoryLockedDocument } from './memory-locked-document.js';
import { memoryRateLimitStore } from './memory-store.js';
import { RateLimiter } from './rate-limiter.js';
import { operationStateOf } from './state.js';
import type { RateLimitStore } from './store.js';

/** A clock tests move by hand; nothing sleeps. */
function manualClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance(milliseconds: number) {
      time += milliseconds;
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wraps a document so reads and writes take a turn of the event loop, like file I/O. */
function slowDocument(inner: LockedDocument): LockedDocument {
  return {
    update: (fn) =>
      inner.update(async (current) => {
        await tick();
        const change = await fn(current);
        await tick();
        return change;
      }),
  };
}

/** A document with no lock at all: what `consume` must not be built on. */
function unlockedDocument(): LockedDocument {
  let bytes: Uint8Array | undefined;
  return {
    async update(fn) {
      const current = bytes;
      await tick();
      const change = await fn(current);
      await tick();
      if (change.next !== undefined) bytes = change.next;
      return change.result;
    },
  };
}

/** Each store, with how many attempts its bounded-memory test makes (the document store re-encodes each time). */
const stores: ReadonlyArray<[string, () => RateLimitStore, number]> = [
  ['memory store', () => memoryRateLimitStore(), 100_000],
  ['document store', () => documentRateLimitStore(slowDocument(memoryLockedDocument())), 5_000],
];

describe.each(stores)('RateLimiter over the %s', (_name, makeStore, bulkAttempts) => {
  it('consume allows five resumes of a session per 60 s, then refuses with retry-after', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ store: makeStore(), now: clock.now });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await limiter.consume('resume', 's1')).toMatchObject({ allowed: true, remaining: 4 - attempt });
      clock.advance(1000);
    }
    expect(await limiter.consume('resume', 's1')).toEqual({
      allowed: false,
      retryAfterMs: 55_000,
      remaining: 0,
      scope: 'key',
    });
    clock.advance(54_999);
    expect((await limiter.check('resume', 's1')).allowed).toBe(false);
    clock.advance(1);
    expect(await limiter.check('resume', 's1')).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
  });

  it('concurrent consume on one key: exactly limit succeed', async () => {
    const limiter = new RateLimiter({ store: makeStore(), now: manualClock().now });
    const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.consume('resume', 's1')));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
  });

  it('concurrent consume on many keys: exactly the global limit succeed', async () => {
    const limiter = new RateLimiter({ store: makeStore(), now: manualClock().now });
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, index) => limiter.consume('resume', `session-${index % 12}`)),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
    expect(decisions.filter((decision) => decision.scope === 'global').length).toBeGreaterThan(0);
  });

  it('check does not record; record does', async () => {
    const limiter = new RateLimiter({
      store: makeStore(),
      rules: { login: { perKey: { limit: 2, windowMs: 1000 } } },
      now: manualClock().now,
    });
    for (let index = 0; index < 5; index += 1) expect((await limiter.check('login', 'u')).allowed).toBe(true);
    await limiter.record('login', 'u');
    await limiter.record('login', 'u');
    expect(await limiter.check('login', 'u')).toMatchObject({ allowed: false, retryAfterMs: 1000 });
  });

  it('reset forgets a key, or the whole operation', async () => {
    const limiter = new RateLimiter({ store: makeStore(), now: manualClock().now });
    for (let index = 0; index < 5; index += 1) await limiter.consume('resume', 's1');
    await limiter.reset('resume', 's1');
    expect((await limiter.consume('resume', 's1')).allowed).toBe(true);
    for (let index = 0; index < 30; index += 1) await limiter.consume('resume', `other-${index}`);
    expect(await limiter.check('resume', 'fresh')).toMatchObject({ allowed: false, scope: 'global' });
    await limiter.reset('resume');
    expect(await limiter.check('resume', 'fresh')).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('attempt returns rate_limited with retry-after details and a user-safe message', async () => {
    const limiter = new RateLimiter({ store: makeStore(), now: manualClock().now });
    for (let index = 0; index < 5; index += 1) expect((await limiter.attempt('resume', 's1')).ok).toBe(true);
    const refused = await limiter.attempt('resume', 's1');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toBeInstanceOf(JidoError);
    expect(refused.error.code).toBe('rate_limited');
    expect(refused.error.message).toBe('Too many attempts. Try again in 60 seconds.');
    expect(refused.error.details).toEqual({ retryAfterMs: 60_000, scope: 'key', operation: 'resume' });
  });

  it(`keeps memory bounded under ${bulkAttempts} attempts`, async () => {
    const clock = manualClock();
    const store = makeStore();
    const limiter = new RateLimiter({ store, now: clock.now });
    for (let index = 0; index < bulkAttempts; index += 1) {
      await limiter.consume('resume', index % 2 === 0 ? 'same' : `session-${index}`);
      clock.advance(1);
    }
    const state = await store.transact((current) => ({ next: current, result: current }));
    expect(operationStateOf(state, 'resume')?.keys.length).toBeLessThanOrEqual(20);
    for (const entry of operationStateOf(state, 'resume')?.keys ?? []) {
      expect(entry.hits.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('RateLimiter races (controls)', () => {
  it('a separate check then record would let every concurrent caller through', async () => {
    const limiter = new RateLimiter({ store: memoryRateLimitStore(), now: manualClock().now });
    const naive = async () => {
      const decision = await limiter.check('resume', 's1');
      if (decision.allowed) await limiter.record('resume', 's1');
      return decision.allowed;
    };
    const allowed = await Promise.all(Array.from({ length: 20 }, naive));
    expect(allowed.filter(Boolean).length).toBeGreaterThan(5);
  });

  it('consume over a document without a lock over-admits, so the lock is what makes it atomic', async () => {
    const limiter = new RateLimiter({
      store: documentRateLimitStore(unlockedDocument()),
      now: manualClock().now,
    });
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('resume', 's1')));
    expect(decisions.filter((decision) => decision.allowed).length).toBeGreaterThan(5);
  });
});

describe('RateLimiter usage errors', () => {
  const limiter = new RateLimiter({ store: memoryRateLimitStore(), now: manualClock().now });

  it('rejects an unknown operation with invalid_value, including prototype names', async () => {
    for (const operation of ['login', 'constructor', '__proto__']) {
      await expect(limiter.consume(operation, 'k')).rejects.toSatisfy((error) =>
        isJidoError(error, 'invalid_value'),
      );
      await expect(limiter.reset(operation)).rejects.toSatisfy((error) =>
        isJidoError(error, 'invalid_value'),
      );
    }
    const result = await limiter.attempt('login', 'k');
    expect(result.ok === false && result.error.code).toBe('invalid_value');
  });

  it('rejects an empty or oversized key', async () => {
    await expect(limiter.check('resume', '')).rejects.toSatisfy((error) =>
      isJidoError(error, 'invalid_value'),
    );
    await expect(limiter.record('resume', 'x'.repeat(257))).rejects.toSatisfy((error) =>
      isJidoError(error, 'invalid_value'),
    );
    expect((await limiter.check('resume', 'x'.repeat(256))).allowed).toBe(true);
  });

  it('refuses bad rules when constructing', () => {
    const store = memoryRateLimitStore();
    for (const rules of [
      { resume: { perKey: { limit: 0, windowMs: 1000 } } },
      { resume: { perKey: { limit: 1, windowMs: 0 } } },
      { resume: { perKey: { limit: 1.5, windowMs: 1000 } } },
      { resume: { perKey: { limit: 1, windowMs: 1000 }, global: { limit: -1, windowMs: 1000 } } },
      { 'bad name': { perKey: { limit: 1, windowMs: 1000 } } },
    ]) {
      expect(() => new RateLimiter({ store, rules })).toThrow(
        expect.objectContaining({ code: 'invalid_config' }) as unknown as Error,
      );
    }
  });

  it('fails a transaction whose clock returns a non-finite time', async () => {
    const broken = new RateLimiter({ store: memoryRateLimitStore(), now: () => Number.NaN });
    await expect(broken.consume('resume', 'k')).rejects.toSatisfy((error) => isJidoError(error, 'internal'));
  });

  it('returns store failures from attempt instead of throwing', async () => {
    const failing: RateLimitStore = {
      transact: () => Promise.reject(new JidoError('lock_timeout', 'Timed out waiting for a lock.')),
    };
    const result = await new RateLimiter({ store: failing }).attempt('resume', 'k');
    expect(result.ok === false && result.error.code).toBe('lock_timeout');
  });
});
