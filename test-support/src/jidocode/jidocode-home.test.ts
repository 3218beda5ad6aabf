import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareKeysByBytes, encodeJasonPretty, jasonFloat, jasonFloatText } from './jason-pretty.js';
import { writeJidoCodeHome } from './jidocode-home.js';
import { jidoCodeKey, shortHostname } from './jidocode-key.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function home(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'jidocode-home-'));
  folders.push(folder);
  return join(folder, '.jido_code');
}

describe('encodeJasonPretty', () => {
  it('writes two-space indent, sorted keys, empty containers inline and no trailing newline', () => {
    const text = encodeJasonPretty({ b: [1, { d: null, c: true }], a: {}, e: [], f: jasonFloat(1) });
    expect(text).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    {\n      "c": true,\n      "d": null\n    }\n  ],\n  "e": [],\n  "f": 1.0\n}',
    );
  });

  it('escapes control characters with upper-case hex and keeps the short forms', () => {
    expect(encodeJasonPretty('\u001b\u0001\t\n"\\/é')).toBe('"\\u001B\\u0001\\t\\n\\"\\\\/é"');
  });

  it('writes floats the Elixir way and sorts keys by UTF-8 bytes', () => {
    expect([1, 0.5, 1e21, 1.5e-7, -2].map(jasonFloatText)).toEqual([
      '1.0',
      '0.5',
      '1.0e21',
      '1.5e-7',
      '-2.0',
    ]);
    expect(['\u{1F600}', '\uFFFD', 'a'].sort(compareKeysByBytes)).toEqual(['a', '\uFFFD', '\u{1F600}']);
  });
});

describe('jidoCodeKey', () => {
  it('salts with the password, the secret bytes and the host name up to its first dot', () => {
    const secret = Buffer.from('ab'.repeat(32));
    expect(shortHostname('build-7.example.org')).toBe('build-7');
    expect(jidoCodeKey(secret, 'build-7.example.org')).toEqual(jidoCodeKey(secret, 'build-7'));
    expect(jidoCodeKey(secret, 'build-7')).not.toEqual(jidoCodeKey(secret, 'build-8'));
    expect(jidoCodeKey(secret, 'build-7')).toHaveLength(32);
  });
});

describe('writeJidoCodeHome', () => {
  it('lays out a home as JidoCode leaves it', async () => {
    const generated = await writeJidoCodeHome({
      home: await home(),
      hostname: 'laptop.local',
      leftoverTemp: true,
    });
    expect((await stat(generated.home)).mode & 0o777).toBe(0o755);
    expect((await stat(generated.sessionsDir)).mode & 0o777).toBe(0o755);
    const secret = await readFile(join(generated.home, 'machine_secret'));
    expect(secret.toString()).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(generated.home, 'machine_secret'))).mode & 0o777).toBe(0o600);
    expect(generated.sessions.map((session) => session.signing)).toEqual([
      'signed',
      'unsigned',
      'null-signature',
    ]);
    for (const session of generated.sessions) {
      const path = generated.sessionFile(session.id);
      expect((await stat(path)).mode & 0o777).toBe(0o644);
      const bytes = await readFile(path);
      expect(bytes).toEqual(session.bytes);
      const text = bytes.toString('utf8');
      expect(text.startsWith('{\n  "closed_at": "')).toBe(true);
      expect(text.endsWith('\n}')).toBe(true);
      expect(text).toContain('"temperature": 1.0');
      expect(text).toContain('\\u001B[31m');
      const document = JSON.parse(text) as { conversation: { id: string; timestamp: string }[] };
      expect(document.conversation.map((message) => message.id)).toEqual(
        [...session.messageIdsOldestFirst].reverse(),
      );
      const times = document.conversation.map((message) => message.timestamp);
      expect(times.every((time) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(time))).toBe(true);
      expect([...times].sort().reverse()).toEqual(times);
    }
    await expect(
      stat(`${generated.sessionFile(generated.sessions[0]?.id ?? '')}.tmp`),
    ).resolves.toBeDefined();
  });

  it('signs over the pretty text minus the signature line, which sits between prompt_history and todos', async () => {
    const generated = await writeJidoCodeHome({
      home: await home(),
      hostname: 'host',
      sessions: [{ signing: 'signed' }],
    });
    const text = generated.sessions[0]?.bytes.toString('utf8') ?? '';
    const line = /\n {2}"signature": "([A-Za-z0-9+/]{43}=)",\n/.exec(text);
    expect(line).not.toBeNull();
    expect(text.indexOf('"prompt_history"')).toBeLessThan(line?.index ?? 0);
    expect(text.indexOf('\n  "todos"')).toBeGreaterThan(line?.index ?? 0);
    const payload = text.replace(/ {2}"signature": "[^"]*",\n/, '');
    const mac = createHmac('sha256', generated.key).update(payload).digest('base64');
    expect(line?.[1]).toBe(mac);
  });

  it('points every session without its own project folder at the home-level one', async () => {
    const generated = await writeJidoCodeHome({
      home: await home(),
      hostname: 'host',
      projectPath: '/srv/shared-project',
      sessions: [
        { signing: 'signed' },
        { signing: 'unsigned', projectPath: '/srv/own' },
        { signing: 'null-signature' },
      ],
    });
    expect(generated.sessions.map((session) => session.document.project_path)).toEqual([
      '/srv/shared-project',
      '/srv/own',
      '/srv/shared-project',
    ]);
  });
});
