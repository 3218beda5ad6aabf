import type { Logger } from '@jido-code/core-schema';
import { describe, expect, it, vi } from 'vitest';
import { documentRateLimitStore } from './document-store.js';
import type { LockedDocument } from './locked-document.js';
import { memoryLockedDocument } from './memory-locked-document.js';
import { RateLimiter } from './rate-limiter.js';
import { decodeRateLimitState, encodeRateLimitState, operationStateOf } from './state.js';

function spyLogger() {
  return { debug: vi.fn<Logger['debug']>(), warn: vi.fn<Logger['warn']>() };
}

/** Counts the writes a document receives. */
function countingDocument(inner: LockedDocument) {
  const counter = { writes: 0 };
  const document: LockedDocument = {
    update: (fn) =>
      inner.update(async (current) => {
        const change = await fn(current);
        if (change.next !== undefined) counter.writes += 1;
        return change;
      }),
  };
  return { document, counter };
}

const text = (value: string) => new TextEncoder().encode(value);
const now = () => 5_000;

describe('documentRateLimitStore', () => {
  it('shares limits between limiters over one document, like separate CLI processes', async () => {
    const document = memoryLockedDocument();
    const processes = Array.from(
      { length: 6 },
      () => new RateLimiter({ store: documentRateLimitStore(document), now }),
    );
    const decisions = [];
    for (const limiter of processes) decisions.push(await limiter.consume('resume', 'session'));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('writes the small versioned document', async () => {
    const document = memoryLockedDocument();
    await new RateLimiter({ store: documentRateLimitStore(document), now }).consume('resume', 'session');
    const written = JSON.parse(new TextDecoder().decode(document.read()));
    expect(written).toEqual({
      version: 1,
      operations: { resume: { global: [5000], keys: [{ key: 'session', hits: [5000] }] } },
    });
  });

  it('starts fresh on a missing document, says so at debug level, and writes nothing for a check', async () => {
    const logger = spyLogger();
    const { document, counter } = countingDocument(memoryLockedDocument());
    const limiter = new RateLimiter({ store: documentRateLimitStore(document, { logger }), now });
    expect((await limiter.check('resume', 'session')).allowed).toBe(true);
    expect(counter.writes).toBe(0);
    expect(logger.debug).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('writes nothing when a consume is refused', async () => {
    const { document, counter } = countingDocument(memoryLockedDocument());
    const limiter = new RateLimiter({ store: documentRateLimitStore(document), now });
    for (let index = 0; index < 5; index += 1) await limiter.consume('resume', 'session');
    expect(counter.writes).toBe(5);
    expect((await limiter.consume('resume', 'session')).allowed).toBe(false);
    expect(counter.writes).toBe(5);
  });

  const corrupt: ReadonlyArray<[string, Uint8Array, string]> = [
    ['bytes that are not UTF-8', new Uint8Array([0xff, 0xfe, 0x00]), 'invalid_json'],
    ['truncated JSON', text('{"version":1,"operations":{'), 'invalid_json'],
    ['JSON null', text('null'), 'invalid_schema'],
    [
      'a wrong shape',
      text('{"version":1,"operations":{"resume":{"global":"x","keys":[]}}}'),
      'invalid_schema',
    ],
    [
      'a non-number timestamp',
      text('{"version":1,"operations":{"resume":{"global":[null],"keys":[]}}}'),
      'invalid_schema',
    ],
    [
      'a duplicated key',
      text(
        '{"version":1,"operations":{"resume":{"global":[],"keys":[{"key":"a","hits":[1]},{"key":"a","hits":[2]}]}}}',
      ),
      'invalid_schema',
    ],
    ['another version', text('{"version":2,"operations":{}}'), 'unsupported_version'],
  ];

  it.each(corrupt)('starts fresh on %s, warns once and repairs the document', async (_name, bytes, code) => {
    const logger = spyLogger();
    const document = memoryLockedDocument(bytes);
    const limiter = new RateLimiter({ store: documentRateLimitStore(document, { logger }), now });
    expect(await limiter.check('resume', 'session')).toMatchObject({ allowed: true, remaining: 4 });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[1]).toMatchObject({ code });
    const repaired = document.read();
    expect(repaired !== undefined && decodeRateLimitState(repaired).ok).toBe(true);
    expect((await limiter.consume('resume', 'session')).allowed).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('treats an empty document as missing', async () => {
    const logger = spyLogger();
    const limiter = new RateLimiter({
      store: documentRateLimitStore(memoryLockedDocument(new Uint8Array()), { logger }),
      now,
    });
    expect((await limiter.consume('resume', 'session')).allowed).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reads state written by another writer, hand-edited order included', async () => {
    const document = memoryLockedDocument(
      text(
        JSON.stringify({
          version: 1,
          operations: {
            resume: {
              global: [4000, 1000],
              keys: [
                { key: 'late', hits: [4000] },
                { key: 'session', hits: [3000, 1000, 2000, 4500, 4900] },
              ],
            },
          },
        }),
      ),
    );
    const store = documentRateLimitStore(document);
    const limiter = new RateLimiter({ store, now });
    expect(await limiter.consume('resume', 'session')).toMatchObject({
      allowed: false,
      retryAfterMs: 56_000,
    });
    expect(await limiter.consume('resume', 'late')).toMatchObject({ allowed: true });
    const state = await store.transact((current) => ({ next: current, result: current }));
    expect(operationStateOf(state, 'resume')?.keys.map((entry) => entry.key)).toEqual(['session', 'late']);
    expect(operationStateOf(state, 'resume')?.global).toEqual([1000, 4000, 5000]);
  });

  it('propagates a failure of the document itself', async () => {
    const failing: LockedDocument = { update: () => Promise.reject(new Error('disk on fire')) };
    const limiter = new RateLimiter({ store: documentRateLimitStore(failing), now });
    await expect(limiter.consume('resume', 'session')).rejects.toThrow('disk on fire');
  });

  it('round-trips what it writes', async () => {
    const document = memoryLockedDocument();
    const store = documentRateLimitStore(document);
    const limiter = new RateLimiter({ store, now });
    for (const key of ['a', 'b', 'c', 'a']) await limiter.consume('resume', key);
    const state = await store.transact((current) => ({ next: current, result: current }));
    expect(document.read()).toEqual(encodeRateLimitState(state));
  });
});
