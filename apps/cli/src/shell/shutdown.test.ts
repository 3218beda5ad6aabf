import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { shellParts } from '../../test/shell-parts.js';
import { shutdown } from './shutdown.js';

const testCase = PersistenceTestCase.use();

describe('shutdown', () => {
  it('closes and saves every open session, one line each, through the progress display', async () => {
    const { performer, output, manager, store } = await shellParts(testCase.home);
    await performer.perform({ kind: 'session.new', name: 'api' });
    await performer.perform({ kind: 'message', text: 'keep me' });
    let progressed = 0;
    const saved = await shutdown(manager, output, (work) => {
      progressed += 1;
      return work();
    });
    expect(saved).toBe(true);
    expect(progressed).toBe(1);
    expect(output.printed.at(-1)).toBe('Saved and closed "api".');
    expect(manager.list()).toEqual([]);
    const listing = await store.listPersisted();
    expect(
      listing.ok && listing.value.sessions.map((session) => [session.name, session.message_count]),
    ).toEqual([['api', 2]]);
  });

  it('prints nothing and succeeds with nothing open', async () => {
    const { manager, output } = await shellParts(testCase.home);
    expect(await shutdown(manager, output)).toBe(true);
    expect(output.printed).toEqual([]);
    expect(output.notes).toEqual([]);
  });
});
