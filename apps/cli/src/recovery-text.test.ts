import { describe, expect, it } from 'vitest';
import { describeQuarantined, quarantineWarnings } from './recovery-text.js';

const id = '1a2b3c4d-0000-4000-8000-000000000000';

describe('quarantined journals, as the CLI names them', () => {
  it('names a file under the home by its path, "in the jido home"', () => {
    const entry = {
      session_id: id,
      reason: 'bad-signature',
      quarantined_at: '2026-12-01T04:00:00.000Z',
      file: `journal/quarantine/${id}.20261201T040000Z.bad-signature.jsonl`,
    };
    expect(describeQuarantined(entry)).toBe(`${entry.file} (bad signature)`);
    expect(quarantineWarnings([entry])).toEqual([
      `warning: the journal of session 1a2b3c4d could not be recovered; it is kept, not deleted, at ${entry.file} (bad signature) in the jido home.`,
    ]);
  });

  it("names a PostgreSQL store's row by its entry in the table, never as a file in the home", () => {
    const entry = {
      session_id: id,
      reason: 'broken-chain',
      quarantined_at: '2026-12-01T04:00:00.000Z',
      file: `journal_quarantine/${id}.20261201T040000Z.broken-chain`,
    };
    expect(describeQuarantined(entry)).toBe(
      `entry ${id}.20261201T040000Z.broken-chain of the database's journal_quarantine table (broken chain)`,
    );
    const [warning] = quarantineWarnings([entry]);
    expect(warning).not.toContain('jido home');
    expect(warning).toContain("of the database's journal_quarantine table (broken chain).");
  });
});
