/**
 * Hostile inputs in JidoCode's own format (issue #15): files a JidoCode home holds, edited the ways
 * a person, a tool or an attacker might. Loading never throws and answers with a documented code;
 * an edited JidoCode-signed file loads only when its content is exactly what was signed (a change
 * of layout alone re-encodes to the signed bytes); a signature removed, nulled or renamed on an id
 * once verified is refused.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { type JidoCodeHome, mulberry32, writeJidoCodeHome } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { documentedLoadCodes } from '../support/messages.js';
import { makePrivateHome, removePrivateHome, suiteConfig } from '../support/private-home.js';
import { scaled } from '../support/stress.js';

const hostname = 'elixir-box.lan';
let root: string;
let generated: JidoCodeHome;
let store: SessionStore;
const signedContent = new Map<string, string>();

type Edit = (text: string, random: () => number) => string;

const pick = (random: () => number, count: number) => Math.floor(random() * count);
const lines = (text: string) => text.split('\n');

const edits: Readonly<Record<string, Edit>> = {
  'flip a byte': (text, random) => {
    const bytes = Buffer.from(text);
    const at = pick(random, bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 + pick(random, 255));
    return bytes.toString('latin1');
  },
  'delete a line': (text, random) => {
    const all = lines(text);
    all.splice(1 + pick(random, all.length - 2), 1);
    return all.join('\n');
  },
  'duplicate a line': (text, random) => {
    const all = lines(text);
    const at = 1 + pick(random, all.length - 2);
    all.splice(at, 0, all[at] ?? '');
    return all.join('\n');
  },
  'swap two lines': (text, random) => {
    const all = lines(text);
    const at = 1 + pick(random, all.length - 3);
    [all[at], all[at + 1]] = [all[at + 1] ?? '', all[at] ?? ''];
    return all.join('\n');
  },
  truncate: (text, random) => text.slice(0, pick(random, text.length)),
  'reindent (layout only)': (text) => text.replace(/^( +)/gm, '$1$1'),
  'compact (layout only)': (text) => text.replace(/\n */g, ''),
  'float to integer': (text) => text.replace('"temperature": 1.0', '"temperature": 1'),
  'lower-case escapes': (text) => text.replace(/\\u001B/g, '\\u001b'),
  'rename the session': (text) => text.replace(/"name": "[^"]*"/, '"name": "hijacked"'),
  'add a key': (text) => text.replace('{\n', '{\n  "pinned": true,\n'),
  'strip the signature line': (text) => text.replace(/ {2}"signature": "[^"]*",\n/, ''),
  'null the signature': (text) => text.replace(/"signature": "[^"]*"/, '"signature": null'),
  'rename the signature key': (text) => text.replace('"signature":', '"signatura":'),
  "another file's signature": (text) =>
    text.replace(/"signature": "[^"]*"/, `"signature": "${'Q'.repeat(43)}="`),
};

beforeAll(async () => {
  root = makePrivateHome('jido-rel-jidocode-');
  generated = await writeJidoCodeHome({
    home: join(root, '.jido_code'),
    hostname,
    seed: 1_515,
    sessions: Array.from({ length: 6 }, (_, index) => ({
      signing: index % 3 === 0 ? ('unsigned' as const) : ('signed' as const),
      messageCount: 1 + index * 2,
    })),
  });
  execFileSync('chmod', ['-R', 'go-rwx', generated.home]);
  const opened = await SessionStore.open({ home: generated.home, env: {}, hostname, config: suiteConfig });
  if (!opened.ok) throw opened.error;
  store = opened.value;
  for (const session of generated.sessions) {
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    const content = canonicalJson(loaded.value.session);
    if (!content.ok) throw content.error;
    signedContent.set(session.id, content.value);
  }
});

afterAll(() => removePrivateHome(root));

describe('JidoCode-format files with edits', () => {
  it('never throw, answer with documented codes, and a signed one loads only with its signed content', async () => {
    const random = mulberry32(15);
    const rounds = scaled(8, 200);
    const outcomes: Record<string, { loaded: number; refused: number }> = {};
    for (let round = 0; round < rounds; round++) {
      for (const session of generated.sessions) {
        for (const [name, edit] of Object.entries(edits)) {
          const original = session.bytes.toString('utf8');
          const edited = edit(original, random);
          writeFileSync(
            generated.sessionFile(session.id),
            Buffer.from(edited, name === 'flip a byte' ? 'latin1' : 'utf8'),
          );
          const loaded = await store.load(session.id);
          const tally = outcomes[name] ?? { loaded: 0, refused: 0 };
          outcomes[name] = tally;
          if (!loaded.ok) {
            expect(documentedLoadCodes.has(loaded.error.code), `${name}: ${loaded.error.code}`).toBe(true);
            tally.refused += 1;
            continue;
          }
          tally.loaded += 1;
          if (session.signing === 'signed') {
            const content = canonicalJson(loaded.value.session);
            expect(content.ok && content.value, `${name} changed a signed file and loaded`).toBe(
              signedContent.get(session.id),
            );
          }
        }
        writeFileSync(generated.sessionFile(session.id), session.bytes);
      }
    }
    reportFigure('jidocode hostile edits', { rounds, outcomes });
    const signedOnly = generated.sessions.filter((session) => session.signing === 'signed').length;
    for (const name of ['strip the signature line', 'null the signature', 'rename the signature key']) {
      // Every signed id was verified in beforeAll: the downgrade guard refuses each of these.
      expect(outcomes[name]?.refused).toBeGreaterThanOrEqual(rounds * signedOnly);
    }
    expect(outcomes['reindent (layout only)']?.loaded).toBe(rounds * generated.sessions.length);
    expect(outcomes['float to integer']?.refused).toBe(rounds * signedOnly);
  });
});
