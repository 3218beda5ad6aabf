import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { foldToken, tokenize } from '@jido-code/storage/search';
import { findInFiles, SessionFactory, secretCorpus, secretCorpusSeed } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { jido, projectFolder, seed, storedSession, storedVerification } from './jido.js';

const testCase = PersistenceTestCase.use();
const corpusSeed = secretCorpusSeed();
console.info(`secret corpus seed: ${corpusSeed} (replay with JIDO_SECRET_SEED=${corpusSeed})`);
const corpus = secretCorpus(corpusSeed);
const allValues = corpus.flatMap((sample) => sample.values);
const github = corpus.find((sample) => sample.rule === 'github') as (typeof corpus)[number];

/** A saved session whose messages are the whole corpus, written without redaction (a legacy file). */
function legacySession(name: string): Session {
  const factory = new SessionFactory({ seed: corpusSeed % 1000 });
  const base = factory.session({ name, messageCount: 0, todoCount: 0 });
  return {
    ...base,
    conversation: corpus.map((sample) => factory.message({ role: 'user', content: sample.text })),
    todos: [factory.todo({ content: `Rotate ${github.values[0]}` })],
  };
}

describe('redaction in the shell', () => {
  it(`prints one line, gives the agent the redacted text, and writes no secret to the home or an export (seed ${corpusSeed})`, async () => {
    const project = await projectFolder();
    const lines = [
      `/session new ${project} --name=leaky`,
      ...corpus.map((sample) => sample.text.replace(/\n/g, ' ')),
      '/quit',
    ];
    const run = await jido([], { home: testCase.home, input: `${lines.join('\n')}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Redacted 1 secret (GitHub token) before saving.\nNoted: "`);
    for (const value of allValues) expect(run.stdout).not.toContain(value);
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);

    const out = await temporaryFolder('exports', 'jido-exports-');
    for (const format of ['json', 'md']) {
      const exported = await jido(
        ['sessions', 'export', 'leaky', '--format', format, '--output', join(out, `leaky.${format}`)],
        {
          home: testCase.home,
        },
      );
      expect(exported.code, exported.stderr).toBe(0);
    }
    expect(await findInFiles(out, allValues)).toEqual([]);
    const saved = await storedSession(testCase.home, 'leaky');
    const said = saved.conversation.filter((message) => message.role === 'user');
    expect(said).toHaveLength(corpus.length);
    for (const [index, sample] of corpus.entries())
      expect(said[index]?.content).toContain(`[REDACTED:${sample.kind}]`);
  }, 120_000);

  it('keeps the text as typed in warn mode and says so', async () => {
    const project = await projectFolder();
    const run = await jido([], {
      home: testCase.home,
      input: `/session new ${project} --name=warned\n${github.text.replace(/\n/g, ' ')}\n/quit\n`,
      env: { JIDO_REDACTION: 'warn' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'Found 1 secret (GitHub token); saved as typed because redaction is set to warn.',
    );
    expect((await findInFiles(testCase.home, github.values)).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('jido sessions import', () => {
  it('redacts a file on the way in and reports the kinds', async () => {
    const folder = await temporaryFolder('import', 'jido-import-');
    const file = join(folder, 'legacy.json');
    await writeFile(file, JSON.stringify(legacySession('imported')));
    const run = await jido(['sessions', 'import', file, '--json'], { home: testCase.home });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      secrets: { redaction: string; count: number; kinds: Record<string, number> };
    };
    expect(report.secrets.redaction).toBe('redact');
    expect(report.secrets.count).toBeGreaterThanOrEqual(corpus.length + 1);
    expect(report.secrets.kinds['github-token']).toBeGreaterThanOrEqual(2);
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
  }, 60_000);
});

describe('jido sessions scan', () => {
  it('counts secrets per session by kind, never printing a value, and --fix redacts and re-signs', async () => {
    await seed(testCase.home, [
      legacySession('legacy'),
      new SessionFactory({ seed: 3 }).session({ name: 'clean' }),
    ]);
    expect((await findInFiles(testCase.home, allValues)).length).toBeGreaterThan(0);

    const scanned = await jido(['sessions', 'scan', '--json'], { home: testCase.home });
    expect(scanned.code, scanned.stderr).toBe(0);
    const report = JSON.parse(scanned.stdout) as {
      rule_set: string;
      scanned: number;
      sessions: { name: string; count: number; kinds: Record<string, number> }[];
    };
    expect(report.rule_set).toBe('@secretlint/secretlint-rule-preset-recommend@12.0.0');
    expect(report.scanned).toBe(2);
    expect(report.sessions.map((session) => session.name)).toEqual(['legacy']);
    expect(report.sessions[0]?.count).toBeGreaterThanOrEqual(corpus.length + 1);
    for (const sample of corpus)
      expect(report.sessions[0]?.kinds[sample.kind], sample.kind).toBeGreaterThan(0);
    const text = await jido(['sessions', 'scan'], { home: testCase.home });
    expect(text.stdout).toMatch(/^legacy \([0-9a-f]{8}\): \d+ secrets \(/);
    expect(text.stdout).toContain("Run 'jido sessions scan --fix' to redact them.");
    for (const value of allValues) {
      expect(scanned.stdout + text.stdout + text.stderr).not.toContain(value);
    }

    const refused = await jido(['sessions', 'scan', '--fix'], { home: testCase.home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Run 'jido sessions scan --fix --yes'.");
    expect((await findInFiles(testCase.home, allValues)).length).toBeGreaterThan(0);

    const fixed = await jido(['sessions', 'scan', '--fix', '--yes'], { home: testCase.home });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Redacted and re-signed 1 session.');
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const verification = await storedVerification(testCase.home);
    expect(verification.valid).toHaveLength(2);
    const again = await jido(['sessions', 'scan'], { home: testCase.home });
    expect(again.stdout).toBe('No secrets found in 2 saved sessions.\n');
  }, 120_000);
});

describe('jido sessions scan --fix and the search index', () => {
  it("re-indexes the redacted sessions and purges the secrets' words from the index files", async () => {
    await seed(testCase.home, [legacySession('legacy')]);
    // The index holds words as the search folds them; these are the values' own distinctive ones.
    const words = [
      ...new Set(
        allValues.flatMap((value) =>
          tokenize(value)
            .map(foldToken)
            .filter((word) => word.length >= 16),
        ),
      ),
    ];
    expect(words.length).toBeGreaterThan(5);
    const [probe = ''] = words;
    const indexFolder = join(testCase.home, 'index');

    const before = await jido(['sessions', 'search', probe, '--json'], { home: testCase.home });
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as { name: string }[]).map((hit) => hit.name)).toEqual(['legacy']);
    expect((await findInFiles(indexFolder, words)).length).toBeGreaterThan(0);

    const fixed = await jido(['sessions', 'scan', '--fix', '--yes'], { home: testCase.home });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await findInFiles(indexFolder, words)).toEqual([]);
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    for (const word of words.slice(0, 5)) {
      const after = await jido(['sessions', 'search', word, '--json'], { home: testCase.home });
      expect(after.code, after.stderr).toBe(0);
      expect(JSON.parse(after.stdout), word).toEqual([]);
    }
    const redacted = await jido(['sessions', 'search', 'REDACTED', '--json'], { home: testCase.home });
    expect((JSON.parse(redacted.stdout) as { name: string }[]).map((hit) => hit.name)).toEqual(['legacy']);
  }, 120_000);
});

describe('jido sessions scan and the trash', () => {
  it('finds secrets in a trashed session and --fix rewrites it in the trash, restorable and signed', async () => {
    await seed(testCase.home, [legacySession('legacy')]);
    const deleted = await jido(['sessions', 'delete', 'legacy'], { home: testCase.home });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await findInFiles(join(testCase.home, 'trash'), allValues)).length).toBeGreaterThan(0);

    const scanned = await jido(['sessions', 'scan', '--json'], { home: testCase.home });
    expect(scanned.code, scanned.stderr).toBe(0);
    const report = JSON.parse(scanned.stdout) as {
      scanned: number;
      trash_scanned: number;
      trash: { id: string; name: string; count: number }[];
    };
    expect([report.scanned, report.trash_scanned]).toEqual([0, 1]);
    expect(report.trash.map((finding) => finding.name)).toEqual(['legacy']);
    expect(report.trash[0]?.count).toBeGreaterThanOrEqual(corpus.length);
    const text = await jido(['sessions', 'scan'], { home: testCase.home });
    expect(text.stdout).toMatch(/^legacy \([0-9a-f]{8}, in the trash\): \d+ secrets \(/m);
    for (const value of allValues) expect(scanned.stdout + text.stdout).not.toContain(value);

    const fixed = await jido(['sessions', 'scan', '--fix', '--yes'], { home: testCase.home });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Redacted and re-signed 1 trashed session.');
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const again = await jido(['sessions', 'scan'], { home: testCase.home });
    expect(again.stdout).toContain('No secrets found in 1 trashed session.');

    const restored = await jido(['sessions', 'trash', 'restore', 'legacy'], { home: testCase.home });
    expect(restored.code, restored.stderr).toBe(0);
    const verification = await storedVerification(testCase.home);
    expect(verification.valid).toHaveLength(1);
    const back = await storedSession(testCase.home, 'legacy');
    expect(back.id).toBe(report.trash[0]?.id);
    expect(back.conversation).toHaveLength(corpus.length);
  }, 120_000);
});
