import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeJasonPretty,
  generateJidoCodeDocument,
  jasonFloat,
  jidoCodeKey,
  mulberry32,
} from '@jido-code/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../fs/file-system.js';
import { isNewestFirst, oldestFirst } from './conversation-order.js';
import { jasonNumber, reencodeJason } from './jason-encoding.js';
import { jidoCodeKeyDerivations, jidoCodeKeyFor, shortHostname } from './jidocode-key.js';
import { isJidoCodeSignature, withoutSignatureLine } from './jidocode-signature.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('reencodeJason', () => {
  it("re-encodes generated JidoCode documents to the generator's exact bytes, whatever their layout", () => {
    const random = mulberry32(7);
    for (let round = 0; round < 40; round++) {
      const { document } = generateJidoCodeDocument(random, {
        messageCount: round % 6,
        todoCount: round % 3,
      });
      const pretty = encodeJasonPretty(document);
      const compact = pretty.replace(/\n */g, '');
      expect(reencodeJason(pretty)).toBe(pretty);
      expect(reencodeJason(compact)).toBe(pretty);
    }
  });

  it('sorts keys by UTF-8 bytes, drops omitted top-level keys, keeps the last of a repeated key', () => {
    const text = '{"\u{1F600}":1,"\uFFFD":2,"a":{"z":[],"y":{}},"signature":"x","a":{"b":-0}}';
    expect(reencodeJason(text, ['signature'])).toBe(
      encodeJasonPretty({ a: { b: 0 }, '\uFFFD': 2, '\u{1F600}': 1 }),
    );
    expect(reencodeJason('[1]')).toBeUndefined();
    expect(reencodeJason('{"a":"unterminated')).toBeUndefined();
  });

  it('writes floats the way Elixir does', () => {
    expect(['1.0', '1.50', '1e-7', '2E+21', '-0.0', '17', '-0'].map(jasonNumber)).toEqual([
      '1.0',
      '1.5',
      '1.0e-7',
      '2.0e21',
      '-0.0',
      '17',
      '0',
    ]);
    expect(encodeJasonPretty({ a: jasonFloat(2e21) })).toBe(reencodeJason('{"a":2e21}'));
  });
});

describe('withoutSignatureLine', () => {
  const signature = `${'A'.repeat(43)}=`;
  it('removes the one top-level signature line, also when it is the last member', () => {
    const middle = `{\n  "a": 1,\n  "signature": "${signature}",\n  "todos": []\n}`;
    expect(Buffer.from(withoutSignatureLine(Buffer.from(middle), signature) ?? '').toString()).toBe(
      '{\n  "a": 1,\n  "todos": []\n}',
    );
    const last = `{\n  "a": 1,\n  "signature": "${signature}"\n}`;
    expect(Buffer.from(withoutSignatureLine(Buffer.from(last), signature) ?? '').toString()).toBe(
      '{\n  "a": 1\n}',
    );
  });

  it('gives up on a nested, repeated or compact signature member', () => {
    const nested = `{\n  "a": {\n    "signature": "${signature}",\n    "b": 1\n  }\n}`;
    const twice = `{\n  "signature": "${signature}",\n  "signature": "${signature}",\n  "x": 1\n}`;
    for (const text of [nested, twice, `{"signature":"${signature}","a":1}`]) {
      expect(withoutSignatureLine(Buffer.from(text), signature)).toBeUndefined();
    }
    expect(isJidoCodeSignature(signature)).toBe(true);
    expect(isJidoCodeSignature('v1:0123abcd:abc')).toBe(false);
  });
});

describe('conversation order', () => {
  const at = (timestamp: string) => ({ id: timestamp, role: 'user' as const, content: '', timestamp });
  it('reverses only a conversation whose times never increase and once decrease', () => {
    const newest = [
      at('2025-12-16T16:00:02.5Z'),
      at('2025-12-16T16:00:02.123456Z'),
      at('2025-12-16T16:00:01Z'),
    ];
    expect(isNewestFirst(newest)).toBe(true);
    expect(oldestFirst(newest).messages.map((message) => message.id)).toEqual(
      [...newest].reverse().map((message) => message.id),
    );
    const tied = [at('2025-12-16T16:00:01Z'), at('2025-12-16T16:00:01.000Z')];
    expect(oldestFirst(tied)).toEqual({ messages: tied, reordered: false });
    const mixed = [newest[1], newest[0], newest[2]].flatMap((message) => (message ? [message] : []));
    expect(oldestFirst(mixed).reordered).toBe(false);
    expect(oldestFirst([]).reordered).toBe(false);
  });

  it('orders toISOString-form timestamps as their padded keys do, mixed with other forms', () => {
    // The order by keys built for every timestamp, as before the shortcut for the usual form.
    const keyOf = (timestamp: string) => {
      const match = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(timestamp);
      return match === null ? timestamp : `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
    };
    const reference = (stamps: readonly string[]) => {
      let decreased = false;
      for (let index = 1; index < stamps.length; index++) {
        const [earlier, later] = [keyOf(stamps[index - 1] ?? ''), keyOf(stamps[index] ?? '')];
        if (later > earlier) return false;
        if (later < earlier) decreased = true;
      }
      return decreased;
    };
    const stamp = fc
      .tuple(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 0, 1, 0, 0, 3) }),
        fc.constantFrom('iso', 'none', 'one', 'six', 'ten'),
      )
      .map(([ms, form]) => {
        const iso = new Date(ms).toISOString();
        const whole = iso.slice(0, 19);
        const digits = iso.slice(20, 23);
        if (form === 'iso') return iso;
        if (form === 'none') return `${whole}Z`;
        if (form === 'one') return `${whole}.${digits.slice(0, 1)}Z`;
        return `${whole}.${digits}${form === 'six' ? '000' : '0000009'}Z`;
      });
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 6 }), (stamps) => {
        expect(isNewestFirst(stamps.map(at))).toBe(reference(stamps));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('jidoCodeKeyFor', () => {
  it("matches the generator's key and is derived once per process per secret and host", async () => {
    const home = await mkdtemp(join(tmpdir(), 'jidocode-key-'));
    folders.push(home);
    const secret = Buffer.from(`${'c0ffee'.repeat(10)}abcd`);
    await writeFile(join(home, 'machine_secret'), secret);
    const before = jidoCodeKeyDerivations();
    const first = await jidoCodeKeyFor(nodeFileSystem, home, 'box.local');
    expect(first).toEqual(jidoCodeKey(secret, 'box.local'));
    await jidoCodeKeyFor(nodeFileSystem, home, 'box');
    await jidoCodeKeyFor(nodeFileSystem, home, 'box.other-domain');
    expect(jidoCodeKeyDerivations()).toBe(before + 1);
    expect(shortHostname('box')).toBe('box');
  });
});
