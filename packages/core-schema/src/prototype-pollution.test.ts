import { afterEach, describe, expect, it } from 'vitest';
import { fullSession } from '../test/session-arbitrary.js';
import { resolveAppConfig } from './app-config-schema.js';
import { canonicalJson } from './canonical-json.js';
import { parseSessionJson } from './parse-session.js';
import { signingPayload } from './signing-payload.js';

// JSON.parse turns a "__proto__" key into an own property, but any later `target[key] = value`
// or careless merge would set a prototype instead. Each case feeds such text through the real
// parsing path and checks nothing leaked onto Object.prototype and every result is a plain object.

const payload = '{"polluted":"yes","toString":"gotcha"}';

/** Session JSON text with `insert` spliced into the object found at `where`. */
function sessionText(
  where: 'top' | 'config' | 'extra' | 'usage' | 'message' | 'todo',
  insert: string,
): string {
  const text = JSON.stringify(fullSession());
  const markers = {
    top: '{"version":1,',
    config: '"config":{',
    extra: '"extra":{',
    usage: '"cumulative_usage":{',
    message: '"conversation":[{',
    todo: '"todos":[{',
  } as const;
  const marker = markers[where];
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker ${marker} not found`);
  return `${text.slice(0, at + marker.length)}${insert},${text.slice(at + marker.length)}`;
}

function expectPlainTree(value: unknown): void {
  if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value)).toBe(Array.prototype);
    for (const item of value) expectPlainTree(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(Object.hasOwn(value, 'polluted')).toBe(false);
  for (const child of Object.values(value)) expectPlainTree(child);
}

function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(typeof probe.toString).toBe('function');
  expect(Object.prototype.toString).toBeTypeOf('function');
}

describe('"__proto__" and "constructor" keys in session JSON', () => {
  afterEach(() => {
    expectNoPollution();
  });

  const places = ['top', 'config', 'extra', 'usage', 'message', 'todo'] as const;
  const keys = ['"__proto__"', '"constructor"', '"prototype"'];

  for (const where of places) {
    for (const key of keys) {
      it(`stays inert: ${key} in ${where}`, () => {
        const text = sessionText(where, `${key}:${payload}`);
        expect(JSON.parse(text)).toBeTypeOf('object');
        const result = parseSessionJson(text);
        if (result.ok) {
          expectPlainTree(result.value.session);
          expect(Object.hasOwn(result.value.session, '__proto__')).toBe(false);
          expect(result.value.session.config.extra).not.toHaveProperty('polluted');
          if (where === 'top') expect(result.value.unknownKeys).toContain(JSON.parse(key));
        } else {
          expect(result.error.code).toBe('invalid_schema');
        }
      });
    }
  }

  it('refuses "constructor" as a usage counter or a config extra rather than storing it', () => {
    for (const where of ['usage', 'extra'] as const) {
      const result = parseSessionJson(sessionText(where, '"constructor":1'));
      expect(!result.ok && result.error.code).toBe('invalid_schema');
    }
  });

  it('stays inert through a v0 migration (which spreads the document)', () => {
    const legacy: Record<string, unknown> = fullSession();
    delete legacy.version;
    delete legacy.closed_at;
    const text = JSON.stringify(legacy).replace('{', `{"__proto__":${payload},`);
    const result = parseSessionJson(text);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expectPlainTree(result.value.session);
      expect(result.value.fromVersion).toBe(0);
    }
  });

  it('stays inert when signing a parsed document that still has the key', () => {
    const document = JSON.parse(sessionText('top', `"__proto__":${payload}`));
    const text = canonicalJson(document);
    expect(text.ok && text.value.startsWith('{"__proto__":')).toBe(true);
    expect(signingPayload(document).ok).toBe(true);
  });
});

describe('"__proto__" in the app config file', () => {
  afterEach(() => {
    expectNoPollution();
  });

  it('does not set settings through the prototype', () => {
    const file = JSON.parse(
      '{"__proto__":{"max_sessions":5,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
    const result = resolveAppConfig(file, {});
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.max_sessions).toBe(100);
      expectPlainTree(result.value);
    }
  });
});
