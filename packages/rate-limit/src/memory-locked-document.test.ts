import { describe, expect, it } from 'vitest';
import { memoryLockedDocument } from './memory-locked-document.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const counterOf = (bytes: Uint8Array | undefined) => (bytes === undefined ? 0 : (bytes[0] ?? 0));

describe('memoryLockedDocument', () => {
  it('runs updates one at a time even when the callback awaits', async () => {
    const document = memoryLockedDocument();
    const increment = () =>
      document.update(async (current) => {
        const value = counterOf(current);
        await tick();
        return { next: new Uint8Array([value + 1]), result: value };
      });
    const seen = await Promise.all(Array.from({ length: 10 }, increment));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(counterOf(document.read())).toBe(10);
  });

  it('writes nothing when the callback returns no next', async () => {
    const document = memoryLockedDocument(new Uint8Array([7]));
    expect(await document.update(() => ({ result: 'kept' }))).toBe('kept');
    expect(document.read()).toEqual(new Uint8Array([7]));
  });

  it('releases the lock and writes nothing when the callback throws', async () => {
    const document = memoryLockedDocument(new Uint8Array([1]));
    const failed = document.update(async () => {
      await tick();
      throw new Error('boom');
    });
    const after = document.update((current) => ({
      next: new Uint8Array([counterOf(current) + 1]),
      result: 'ran',
    }));
    await expect(failed).rejects.toThrow('boom');
    expect(await after).toBe('ran');
    expect(document.read()).toEqual(new Uint8Array([2]));
  });

  it('copies bytes in and out', async () => {
    const initial = new Uint8Array([1]);
    const document = memoryLockedDocument(initial);
    initial[0] = 9;
    await document.update((current) => {
      if (current !== undefined) current[0] = 5;
      return { result: undefined };
    });
    expect(document.read()).toEqual(new Uint8Array([1]));
    document.write(undefined);
    expect(await document.update((current) => ({ result: current }))).toBeUndefined();
  });
});
