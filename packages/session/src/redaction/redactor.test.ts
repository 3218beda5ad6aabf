import { createRequire } from 'node:module';
import { defaultAppConfig } from '@jido-code/core-schema';
import { secretCorpus, secretCorpusRules, secretCorpusSeed } from '@jido-code/test-support';
import { creator as preset } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { redactionNotice } from './redaction-notice.js';
import { Redactor } from './redactor.js';
import { ruleSetName, ruleSetVersion } from './secret-scanner.js';

const seed = secretCorpusSeed();
// Logged so a failing run can be replayed with JIDO_SECRET_SEED.
console.info(`secret corpus seed: ${seed} (replay with JIDO_SECRET_SEED=${seed})`);
const corpus = secretCorpus(seed, 3);
const redactor = new Redactor(defaultAppConfig);

describe('Redactor', () => {
  it('names the installed rule set version', async () => {
    const require = createRequire(import.meta.url);
    const manifest = require('@secretlint/secretlint-rule-preset-recommend/package.json') as {
      version: string;
    };
    expect(`${ruleSetName}@${ruleSetVersion}`).toBe(`${ruleSetName}@${manifest.version}`);
  });

  it('covers every scanning rule of the preset', () => {
    const scanning = preset.rules
      .map((rule) => rule.meta.id.replace('@secretlint/secretlint-rule-', ''))
      .filter((id) => id !== 'filter-comments');
    expect([...secretCorpusRules].sort()).toEqual(scanning.sort());
  });

  it(`replaces every synthetic credential with its kind's marker (seed ${seed})`, async () => {
    const { texts, summary } = await redactor.redactTexts(corpus.map((sample) => sample.text));
    for (const [index, sample] of corpus.entries()) {
      const text = texts[index] as string;
      for (const value of sample.values) expect(text, `${sample.rule}: ${sample.text}`).not.toContain(value);
      expect(text, sample.rule).toContain(`[REDACTED:${sample.kind}]`);
    }
    expect(summary.count).toBeGreaterThanOrEqual(corpus.length);
  });

  it('finds the same secrets one text at a time as in a batch', async () => {
    const batch = await redactor.find(corpus.map((sample) => sample.text));
    for (const [index, sample] of corpus.entries()) {
      expect(await redactor.find([sample.text])).toEqual([batch[index]]);
    }
  });

  it('finds nothing in its own output, even where a rule takes the rest of the line', async () => {
    const { texts } = await redactor.redactTexts(corpus.map((sample) => sample.text));
    expect((await redactor.redactTexts(texts)).summary.count).toBe(0);
  });

  it('keeps the surrounding text and is idempotent', async () => {
    const token = `ghp_${'A1b2C3d4'.repeat(4)}Zz9Y`;
    const { texts } = await redactor.redactTexts([`before ${token} after`]);
    expect(texts).toEqual(['before [REDACTED:github-token] after']);
    const again = await redactor.redactTexts(texts);
    expect(again.texts).toEqual(texts);
    expect(again.summary.count).toBe(0);
  });

  it('redacts the value, not the variable name, where the rule reports a shifted range', async () => {
    const secret = `${'Ab1/'.repeat(9)}Zz9Q`;
    const { texts } = await redactor.redactTexts([`AWS_SECRET_ACCESS_KEY="${secret}"`]);
    expect(texts).toEqual(['AWS_SECRET_ACCESS_KEY="[REDACTED:aws-secret-key]"']);
  });

  it('keeps the name of an AWS account id setting and redacts the number', async () => {
    const { texts } = await redactor.redactTexts(['AWS_ACCOUNT_ID="1234-5678-9012"']);
    expect(texts).toEqual(['AWS_ACCOUNT_ID="[REDACTED:aws-account-id]"']);
  });

  it('cannot be switched off by a secretlint-disable comment inside the text', async () => {
    const token = `ghp_${'Q9w8E7r6'.repeat(4)}Tt5R`;
    const { texts } = await redactor.redactTexts([`// secretlint-disable\n${token}\n// secretlint-enable`]);
    expect(texts[0]).not.toContain(token);
  });

  it('leaves allowlisted literals and regex matches alone', async () => {
    const literal = `ghp_${'L1t2e3r4'.repeat(4)}aaaa`;
    const matched = `glpat-EXAMPLE${'0'.repeat(12)}`;
    const other = `ghp_${'O1t2h3e4'.repeat(4)}bbbb`;
    const allowing = new Redactor({
      redaction: 'redact',
      redaction_allowlist: [literal, '/^glpat-EXAMPLE0+$/'],
    });
    const { texts, summary } = await allowing.redactTexts([`${literal} ${matched} ${other}`]);
    expect(texts).toEqual([`${literal} ${matched} [REDACTED:github-token]`]);
    expect(summary).toEqual({ count: 1, kinds: { 'github-token': 1 } });
  });

  it('reports without replacing in warn mode and does not look in off mode', async () => {
    const token = `xoxb-${'1'.repeat(12)}-${'2'.repeat(13)}-${'abcDEF123456'.repeat(2)}`;
    const change = {
      type: 'message' as const,
      message: { id: 'm1', role: 'user' as const, content: token, timestamp: '2026-01-01T00:00:00.000Z' },
    };
    const warned = await new Redactor({ redaction: 'warn', redaction_allowlist: [] }).redactChange(change);
    expect(warned.change).toEqual(change);
    expect(warned.report).toEqual({ mode: 'warn', count: 1, kinds: { 'slack-token': 1 } });
    expect(redactionNotice(warned.report)).toBe(
      'Found 1 secret (Slack token); saved as typed because redaction is set to warn.',
    );
    const off = await new Redactor({ redaction: 'off', redaction_allowlist: [] }).redactChange(change);
    expect(off.report.count).toBe(0);
    const redacted = await redactor.redactChange(change);
    expect(redacted.change.type === 'message' && redacted.change.message.content).toBe(
      '[REDACTED:slack-token]',
    );
    expect(redactionNotice(redacted.report)).toBe('Redacted 1 secret (Slack token) before saving.');
  });

  it('names several kinds in one line', () => {
    expect(
      redactionNotice({ mode: 'redact', count: 3, kinds: { 'aws-access-key': 1, 'github-token': 2 } }),
    ).toBe('Redacted 3 secrets (2 GitHub tokens, AWS access key) before saving.');
  });
});
