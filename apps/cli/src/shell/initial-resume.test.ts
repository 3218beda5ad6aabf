import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { shellParts } from '../../test/shell-parts.js';
import { performInitialResume } from './initial-resume.js';

const testCase = PersistenceTestCase.use();

describe('performInitialResume', () => {
  it('with nothing saved: --last says so and fails; a target is not found', async () => {
    const { performer, output } = await shellParts(testCase.home);
    expect(await performInitialResume(performer, output, { last: true })).toBe(false);
    expect(await performInitialResume(performer, output, { target: 'api' })).toBe(false);
    expect(output.notes).toEqual([
      'jido: There are no saved sessions to resume.',
      'jido: No session matches "api".',
    ]);
  });

  it('resumes the most recently closed session for --last, and a named one for a target', async () => {
    const first = await shellParts(testCase.home);
    for (const name of ['older', 'newer']) {
      await first.performer.perform({ kind: 'session.new', name, path: first.cwd });
      await first.performer.perform({ kind: 'session.close' });
    }
    const last = await shellParts(testCase.home);
    expect(await performInitialResume(last.performer, last.output, { last: true })).toBe(true);
    expect(last.runner.active?.name).toBe('newer');
    await last.manager.closeAll();

    const named = await shellParts(testCase.home);
    expect(await performInitialResume(named.performer, named.output, { target: 'older' })).toBe(true);
    expect(named.runner.active?.name).toBe('older');
    await named.manager.closeAll();
  });

  it('on a pipe, no target prints the numbered list', async () => {
    const first = await shellParts(testCase.home);
    await first.performer.perform({ kind: 'session.new', name: 'api' });
    await first.performer.perform({ kind: 'quit' });
    const { performer, output } = await shellParts(testCase.home);
    expect(await performInitialResume(performer, output, { picker: true })).toBe(true);
    expect(output.printed.at(-1)).toContain('Resume one with /resume <target>.');
  });
});
