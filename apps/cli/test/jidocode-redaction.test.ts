/**
 * Issue 21 for JidoCode homes (with #15's generator): `jido sessions migrate` redacts every
 * session on its way in, and writes backups with the secrets redacted (a JidoCode-signed one
 * signed again, so JidoCode still loads it); under `warn` the backups are the exact originals, and
 * `sessions scan` reports them, `scan --fix` rewrites them redacted. The proof is the bytes on disk:
 * every file of the home is grepped for every secret value of a random corpus (seed logged).
 */
import { createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { findInFiles, secretCorpus, secretCorpusSeed, writeJidoCodeHome } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { jido } from './jido.js';

const corpusSeed = secretCorpusSeed();
console.info(`secret corpus seed: ${corpusSeed} (replay with JIDO_SECRET_SEED=${corpusSeed})`);
const corpus = secretCorpus(corpusSeed);
const allValues = corpus.flatMap((sample) => sample.values);
const github = corpus.find((sample) => sample.rule === 'github') as (typeof corpus)[number];

/** A JidoCode home whose sessions carry the corpus in messages, todos and names. */
async function leakyJidoCodeHome() {
  const home = await temporaryFolder('.jido_code', 'jido-jidocode-secrets-');
  const project = await temporaryFolder('project', 'jido-jidocode-project-');
  const token = github.values[0] ?? '';
  const generated = await writeJidoCodeHome({
    home,
    hostname: hostname(),
    projectPath: project,
    sessions: (['signed', 'unsigned', 'null-signature'] as const).map((signing) => ({
      signing,
      messageCount: corpus.length + 1,
      messageTexts: corpus.map((sample) => sample.text),
      todoTexts: [`Rotate ${token}`],
      name: `leaky ${token}`,
    })),
  });
  expect((await jido(['doctor', '--fix'], { home })).code).toBe(0);
  expect((await findInFiles(home, allValues)).length).toBeGreaterThan(0);
  return generated;
}

/** True when `bytes` carry a JidoCode signature valid under `key` (the signed text minus the line). */
function jidoCodeSignatureValid(bytes: Buffer, key: Buffer): boolean {
  const text = bytes.toString('utf8');
  const line = /\n {2}"signature": "([A-Za-z0-9+/]{43}=)",\n/.exec(text);
  if (line === null) return false;
  const payload = text.replace(/ {2}"signature": "[^"]*",\n/, '');
  return createHmac('sha256', key).update(payload).digest('base64') === line[1];
}

interface MigrateJson {
  secrets_found: number;
  sessions: { id: string; outcome: string; secrets: number; backup_form: string }[];
}

describe('a JidoCode home with secrets', () => {
  it(`migrate redacts sessions and backups; no secret is left anywhere in the home (seed ${corpusSeed})`, {
    timeout: 300_000,
  }, async () => {
    const generated = await leakyJidoCodeHome();
    const { home } = generated;
    const run = await jido(['sessions', 'migrate', '--json'], { home });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as MigrateJson;
    for (const value of allValues) expect(run.stdout + run.stderr).not.toContain(value);
    expect(report.sessions.map((entry) => entry.outcome)).toEqual(['migrated', 'migrated', 'migrated']);
    expect(report.secrets_found).toBeGreaterThanOrEqual(3 * (corpus.length + 2));
    const forms = Object.fromEntries(report.sessions.map((entry) => [entry.id, entry.backup_form]));
    const [signed, unsigned, nullSigned] = generated.sessions;
    expect(forms).toEqual({
      [signed?.id ?? '']: 'redacted',
      [unsigned?.id ?? '']: 'redacted_unsigned',
      [nullSigned?.id ?? '']: 'redacted_unsigned',
    });

    // Every file of the home: sessions, index, journals, backups.
    expect(await findInFiles(home, allValues)).toEqual([]);
    const backups = join(home, 'backup', 'jidocode');
    expect((await readdir(backups)).sort()).toEqual(generated.sessions.map((s) => `${s.id}.json`).sort());
    const backup = await readFile(join(backups, `${signed?.id}.json`));
    expect(jidoCodeSignatureValid(backup, generated.key)).toBe(true);
    expect(backup.toString('utf8')).toContain('[REDACTED:github-token]');
    // Only the secrets changed: the same layout, line for line.
    expect(backup.toString('utf8').split('\n')).toHaveLength(
      signed?.bytes.toString('utf8').split('\n').length ?? 0,
    );

    for (const session of generated.sessions) {
      const shown = await jido(['sessions', 'show', session.id, '--json', '--limit', '1000'], { home });
      expect(shown.code, shown.stderr).toBe(0);
      const document = JSON.parse(shown.stdout) as {
        name: string;
        conversation: { content: string }[];
        prompt_history: string[];
        todos: { content: string }[];
      };
      expect(document.name).toBe('leaky [REDACTED:github-token]');
      expect(document.todos[0]?.content).toBe('Rotate [REDACTED:github-token]');
      expect(document.conversation).toHaveLength(corpus.length + 1);
      expect(document.prompt_history.join('\n')).toContain('[REDACTED:');
    }
  });

  it('under warn the backups are the originals; scan reports them and scan --fix redacts them', {
    timeout: 300_000,
  }, async () => {
    const generated = await leakyJidoCodeHome();
    const { home } = generated;
    const migrated = await jido(['sessions', 'migrate', '--json'], { home, env: { JIDO_REDACTION: 'warn' } });
    expect(migrated.code, migrated.stderr).toBe(0);
    const forms = (JSON.parse(migrated.stdout) as MigrateJson).sessions.map((entry) => entry.backup_form);
    expect(forms).toEqual(['original', 'original', 'original']);
    const backups = join(home, 'backup', 'jidocode');
    for (const session of generated.sessions) {
      expect(await readFile(join(backups, `${session.id}.json`))).toEqual(session.bytes);
    }

    const scanned = await jido(['sessions', 'scan', '--json'], { home });
    expect(scanned.code, scanned.stderr).toBe(0);
    const report = JSON.parse(scanned.stdout) as {
      backups_scanned: number;
      backups: { file: string; count: number; kinds: Record<string, number> }[];
    };
    expect(report.backups_scanned).toBe(3);
    expect(report.backups.map((backup) => backup.file).sort()).toEqual(
      generated.sessions.map((session) => `backup/jidocode/${session.id}.json`).sort(),
    );
    for (const backup of report.backups) {
      for (const sample of corpus) expect(backup.kinds[sample.kind], sample.kind).toBeGreaterThan(0);
    }
    const text = await jido(['sessions', 'scan'], { home });
    expect(text.stdout).toMatch(/^backup\/jidocode\/[0-9a-f-]{36}\.json: \d+ secrets \(/m);
    expect(text.stdout).toContain('in 3 of 3 JidoCode backups.');
    for (const value of allValues) expect(scanned.stdout + text.stdout + text.stderr).not.toContain(value);

    const fixed = await jido(['sessions', 'scan', '--fix', '--yes'], { home });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(
      'Redacted 3 JidoCode backups in place; they are no longer byte-for-byte originals (1 signed again with the JidoCode key, so JidoCode still loads them).',
    );
    expect(await findInFiles(home, allValues)).toEqual([]);
    const signed = generated.sessions[0];
    const backup = await readFile(join(backups, `${signed?.id}.json`));
    expect(jidoCodeSignatureValid(backup, generated.key)).toBe(true);
    const again = await jido(['sessions', 'scan'], { home });
    expect(again.stdout).toContain('No secrets found in 3 JidoCode backups.');
  });
});
