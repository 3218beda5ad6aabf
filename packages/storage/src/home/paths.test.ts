import { homedir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { homeLayout, resolveHome, sessionIdFromFileName, validateSessionId } from './paths.js';

const valid = '123e4567-e89b-42d3-a456-426614174000';

describe('resolveHome', () => {
  it('prefers the explicit option, then JIDO_CODE_HOME, then ~/.jido_code', () => {
    expect(resolveHome({ home: '/explicit', env: { JIDO_CODE_HOME: '/from-env' } })).toBe('/explicit');
    expect(resolveHome({ env: { JIDO_CODE_HOME: '/from-env' } })).toBe('/from-env');
    expect(resolveHome({ env: {} })).toBe(join(homedir(), '.jido_code'));
  });

  it('makes relative paths absolute and normalizes . and .. segments', () => {
    expect(resolveHome({ home: '/missing/../etc/./jido' })).toBe('/etc/jido');
    expect(resolveHome({ env: { JIDO_CODE_HOME: '/a/b/../c' } })).toBe('/a/c');
    expect(resolveHome({ home: 'rel/../home' })).toBe(join(process.cwd(), 'home'));
  });
});

describe('validateSessionId', () => {
  it('accepts a canonical lowercase UUID v4', () => {
    expect(validateSessionId(valid)).toEqual({ ok: true, value: valid });
  });

  it.each([
    ['traversal', '../../etc/passwd'],
    ['dot-dot inside', `${valid.slice(0, 34)}..`],
    ['absolute path', `/tmp/${valid}`],
    ['NUL byte', `${valid}\0`],
    ['upper case', valid.toUpperCase()],
    ['version 1', '123e4567-e89b-12d3-a456-426614174000'],
    ['wrong variant', '123e4567-e89b-42d3-c456-426614174000'],
    ['trailing newline', `${valid}\n`],
    ['empty', ''],
    ['with extension', `${valid}.json`],
  ])('refuses %s with invalid_id', (_name, id) => {
    const result = validateSessionId(id);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_id');
      expect(result.error.message).not.toContain(id.length > 0 ? id : '\u0000none');
    }
  });

  it('never accepts a string containing a path separator (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = validateSessionId(text);
        if (result.ok) expect(/[/\\.\0]/.test(text)).toBe(false);
      }),
    );
  });
});

describe('homeLayout', () => {
  it('places every file under the home', () => {
    const layout = homeLayout('/h');
    expect(layout.sessionFile(valid)).toBe(`/h/sessions/${valid}.json`);
    expect(layout.leaseFile(valid)).toBe(`/h/leases/${valid}.lease`);
    expect(layout.keyringFile).toBe('/h/keys/keyring.json');
    expect(layout.indexFile).toBe('/h/index/sessions-index.json');
    expect(layout.stateFile('rate-limit')).toBe('/h/state/rate-limit.json');
  });

  it('names a session file exactly as join does, for any id and any home spelling', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('/h', '/h/', '/a/../h', '/h/./x/..', 'relative/h', '/'),
        fc.oneof(fc.uuid({ version: 4 }), fc.constantFrom('../x', 'a/b', '', '.', 'A'), fc.string()),
        (home, id) => {
          expect(homeLayout(home).sessionFile(id)).toBe(join(home, 'sessions', `${id}.json`));
        },
      ),
    );
  });

  it('maps only session file names back to ids', () => {
    expect(sessionIdFromFileName(`${valid}.json`)).toBe(valid);
    expect(sessionIdFromFileName(`.${valid}.0123456789abcdef.tmp`)).toBeUndefined();
    expect(sessionIdFromFileName('notes.json')).toBeUndefined();
  });
});
