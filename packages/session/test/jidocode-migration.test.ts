/**
 * The JidoCode migration's orchestration (issue 21): each session passes the redactor on its way
 * in, and the backup follows the redaction mode: `redact` writes it with the secrets replaced,
 * `warn` and `off` keep the exact original. The CLI end of it is apps/cli/test/jidocode-redaction.
 * A JidoCode file resumed and saved without `migrate` is backed up by the same rule on its first save.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedactionMode } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { findInFiles, secretCorpus, secretCorpusSeed, writeJidoCodeHome } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { migrateJidoCodeHome, type RedactionReport, Redactor, SessionManager } from '../src/index.js';

const seed = secretCorpusSeed();
console.info(`secret corpus seed: ${seed} (replay with JIDO_SECRET_SEED=${seed})`);
const corpus = secretCorpus(seed);
const allValues = corpus.flatMap((sample) => sample.values);
const hostname = 'elixir-box';

async function migrate(mode: RedactionMode) {
  const home = await temporaryFolder('.jido_code', 'jido-session-jidocode-');
  const generated = await writeJidoCodeHome({
    home,
    hostname,
    sessions: [
      { signing: 'signed', messageCount: corpus.length, messageTexts: corpus.map((sample) => sample.text) },
      { signing: 'unsigned', messageCount: 2, messageTexts: ['nothing secret here'] },
    ],
  });
  execFileSync('chmod', ['-R', 'go-rwx', home]);
  const opened = await SessionStore.open({ home, env: {}, hostname });
  if (!opened.ok) throw opened.error;
  const reports: [string, RedactionReport][] = [];
  const redactor = new Redactor({ redaction: mode, redaction_allowlist: [] });
  const entries = await migrateJidoCodeHome(opened.value, {
    redactor,
    onRedaction: (id, report) => reports.push([id, report]),
  });
  if (!entries.ok) throw entries.error;
  return { generated, entries: entries.value, reports };
}

describe('migrateJidoCodeHome', () => {
  it(`redact: sessions and the secret-bearing backup are redacted; a clean original is kept byte for byte (seed ${seed})`, async () => {
    const { generated, entries, reports } = await migrate('redact');
    const [leaky, clean] = generated.sessions;
    expect(entries.map((entry) => [entry.id, entry.outcome, entry.backupForm])).toEqual(
      [
        [leaky?.id, 'migrated', 'redacted'],
        [clean?.id, 'migrated', 'original'],
      ].sort((left, right) => String(left[0]).localeCompare(String(right[0]))),
    );
    expect(reports.find(([id]) => id === leaky?.id)?.[1].count).toBeGreaterThanOrEqual(corpus.length);
    expect(await findInFiles(generated.home, allValues)).toEqual([]);
    const backup = join(generated.home, 'backup', 'jidocode', `${clean?.id}.json`);
    expect(await readFile(backup)).toEqual(clean?.bytes);
  });

  for (const mode of ['warn', 'off'] as const) {
    it(`${mode}: every backup is the exact original`, async () => {
      const { generated, entries } = await migrate(mode);
      expect(entries.map((entry) => entry.backupForm)).toEqual(['original', 'original']);
      for (const session of generated.sessions) {
        const backup = join(generated.home, 'backup', 'jidocode', `${session.id}.json`);
        expect(await readFile(backup)).toEqual(session.bytes);
      }
      // The sessions keep the text as written too: warn and off never change it.
      expect((await findInFiles(join(generated.home, 'sessions'), allValues)).length).toBeGreaterThan(0);
    });
  }
});

describe('a JidoCode file resumed and saved without migrate', () => {
  async function resumeAndSave(mode: RedactionMode) {
    const home = await temporaryFolder('.jido_code', 'jido-session-jidocode-resume-');
    const project = await temporaryFolder('project', 'jido-session-jidocode-project-');
    const generated = await writeJidoCodeHome({
      home,
      hostname,
      projectPath: project,
      sessions: [
        { signing: 'signed', messageCount: corpus.length, messageTexts: corpus.map((sample) => sample.text) },
      ],
    });
    execFileSync('chmod', ['-R', 'go-rwx', home]);
    const opened = await SessionStore.open({ home, env: {}, hostname });
    if (!opened.ok) throw opened.error;
    const manager = new SessionManager({
      store: opened.value,
      redactor: new Redactor({ redaction: mode, redaction_allowlist: [] }),
    });
    const [original] = generated.sessions;
    if (original === undefined) throw new Error('no session generated');
    const live = await manager.resume(original.id);
    if (!live.ok) throw live.error;
    const added = await live.value.addMessage('user', 'one more line');
    if (!added.ok) throw added.error;
    const closed = await manager.close(original.id);
    if (!closed.ok) throw closed.error;
    expect(closed.value.saved).toBe(true);
    return { generated, original, backup: join(home, 'backup', 'jidocode', `${original.id}.json`) };
  }

  it(`redact: the first save's backup is redacted and signed again; no secret anywhere in the home (seed ${seed})`, async () => {
    const { generated, original, backup } = await resumeAndSave('redact');
    expect(await findInFiles(generated.home, allValues)).toEqual([]);
    const bytes = await readFile(backup);
    expect(bytes.equals(original.bytes)).toBe(false);
    expect(bytes.toString('utf8')).toContain('[REDACTED:');
    // Only the secrets changed, line for line, and JidoCode's signature verifies again.
    expect(bytes.toString('utf8').split('\n')).toHaveLength(
      original.bytes.toString('utf8').split('\n').length,
    );
    const signature = /\n {2}"signature": "([A-Za-z0-9+/]{43}=)",\n/.exec(bytes.toString('utf8'));
    const payload = bytes.toString('utf8').replace(/ {2}"signature": "[^"]*",\n/, '');
    expect(createHmac('sha256', generated.key).update(payload).digest('base64')).toBe(signature?.[1]);
  });

  it('warn: the first save backs up the exact original, as migrate does', async () => {
    const { original, backup } = await resumeAndSave('warn');
    expect(await readFile(backup)).toEqual(original.bytes);
  });
});
