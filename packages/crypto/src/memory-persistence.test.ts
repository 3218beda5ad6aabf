import { describe, expect, it } from 'vitest';
import { memoryKeyringPersistence } from './memory-persistence.js';

describe('memoryKeyringPersistence', () => {
  it('starts empty or with the initial bytes, and counts loads and saves', async () => {
    const empty = memoryKeyringPersistence();
    expect(await empty.load()).toBeUndefined();
    await empty.save(new Uint8Array([1, 2, 3]));
    expect(await empty.load()).toEqual(new Uint8Array([1, 2, 3]));
    expect(empty.loads).toBe(2);
    expect(empty.saves).toBe(1);

    const seeded = memoryKeyringPersistence(new Uint8Array([9]));
    expect(seeded.bytes()).toEqual(new Uint8Array([9]));
    expect(seeded.loads).toBe(0);
  });

  it('copies bytes in and out, so callers cannot alias the stored value', async () => {
    const persistence = memoryKeyringPersistence();
    const written = new Uint8Array([1, 2, 3]);
    await persistence.save(written);
    written[0] = 42;
    const loaded = await persistence.load();
    expect(loaded).toEqual(new Uint8Array([1, 2, 3]));
    if (loaded !== undefined) loaded[1] = 42;
    expect(persistence.bytes()).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('runs locked sections one at a time, in call order', async () => {
    const persistence = memoryKeyringPersistence();
    let inside = 0;
    let mostInside = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((index) =>
        persistence.withLock(async () => {
          inside += 1;
          mostInside = Math.max(mostInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 2));
          order.push(index);
          inside -= 1;
        }),
      ),
    );
    expect(mostInside).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('releases the lock when a section fails, and passes the failure on', async () => {
    const persistence = memoryKeyringPersistence();
    const failing = persistence.withLock(async () => {
      throw new Error('boom');
    });
    const next = persistence.withLock(async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
