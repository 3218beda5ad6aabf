import { expect, it } from 'vitest';
import { conformanceSession } from '../conformance-session.js';
import { must, processTimeoutMs, type SuiteContext } from '../suite-context.js';

/** The locked documents: rate-limit state and the keyring, shared by processes. */
export function documentCases(context: SuiteContext): void {
  it('a locked document updated by three processes and this one loses no update', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const workers = [0, 1, 2].map(() => context.worker(spec, 'bump', ['conformance', '10']));
    const document = must(store.rateLimitDocument('conformance'));
    const bump = () =>
      document.update((current) => {
        const value = current === undefined ? 0 : Number(new TextDecoder().decode(current));
        return { next: new TextEncoder().encode(String(value + 1)), result: value + 1 };
      });
    for (let index = 0; index < 10; index++) await bump();
    await Promise.all(workers.map((worker) => worker.done));
    expect(await document.update((current) => ({ result: new TextDecoder().decode(current) }))).toBe('40');
    expect(store.rateLimitDocument('../escape')).toMatchObject({
      ok: false,
      error: expect.objectContaining({ code: 'invalid_value' }),
    });
  });

  it('the keyring is shared: a session signed in another process verifies here, also after a rotation there', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const before = conformanceSession();
    must(await store.save(before));
    await context.worker(spec, 'rotate', []).done;
    const after = conformanceSession();
    await context.worker(spec, 'save', [JSON.stringify(after)]).done;
    expect(must(await store.load(after.id)).signed).toBe(true);
    expect(must(await store.load(before.id)).signed).toBe(true);
    const keys = must(await store.keyring()).keys();
    expect(keys.length).toBe(2);
  });
}
