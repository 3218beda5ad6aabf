import { JidoError } from '@jido-code/core-schema';
import type { ListingProblem, SessionMetadata } from '@jido-code/session';
import { describe, expect, it } from 'vitest';
import { resolveListed } from './resolve-listed.js';

const session = (id: string, name: string) => ({ id, name }) as SessionMetadata;
const problem = (id: string | undefined): ListingProblem => ({
  file: `${id ?? 'junk'}.json`,
  ...(id === undefined ? {} : { id }),
  error: new JidoError('signature_invalid', 'tampered'),
});

const listing = {
  sessions: [session('aaaa1111-0000-4000-8000-000000000001', 'api')],
  problems: [
    problem('bbbb2222-0000-4000-8000-000000000002'),
    problem('cccc3333-0000-4000-8000-000000000003'),
    problem('cccc3399-0000-4000-8000-000000000004'),
    problem(undefined),
  ],
};

describe('resolveListed', () => {
  it('finds sessions first, by any rule', () => {
    expect(resolveListed('api', listing)).toMatchObject({ ok: true, value: { kind: 'session' } });
    expect(resolveListed('1', listing)).toMatchObject({ ok: true, value: { kind: 'session' } });
  });

  it('finds a file that failed to load by full id or unique prefix, never by a short word', () => {
    expect(resolveListed('BBBB2222', listing)).toMatchObject({
      ok: true,
      value: { kind: 'problem', problem: { id: 'bbbb2222-0000-4000-8000-000000000002' } },
    });
    expect(resolveListed('cccc3333-0000-4000-8000-000000000003', listing)).toMatchObject({
      ok: true,
      value: { kind: 'problem' },
    });
    expect(resolveListed('bbb', listing)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports an ambiguous prefix among unreadable files, and not_found for nothing', () => {
    expect(resolveListed('cccc', listing)).toMatchObject({ ok: false, error: { code: 'ambiguous_target' } });
    expect(resolveListed('dddd', listing)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
