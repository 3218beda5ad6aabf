import { type ErrorCode, errorCodes, JidoError } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from './resolve-target.js';
import { sanitizeError, userMessages } from './sanitize-error.js';

const secretPath = '/home/secret/path';
const keyId = 'abcd1234';
const signature = `v1:${keyId}:Q2xhc3NpZmllZCBtYWMgdmFsdWUgaGVyZQ`;
const stack = `Error: boom\n    at leak (${secretPath}/file.ts:1:1)`;
const secrets = [
  secretPath,
  '/home/secret',
  keyId,
  signature,
  'Q2xhc3NpZmllZCBtYWMgdmFsdWUgaGVyZQ',
  'at leak',
  'file.ts',
];

/** Details stuffed with everything a user must never see, under every key a message might read. */
const poisonedDetails = {
  path: secretPath,
  projectPath: secretPath,
  file: `${secretPath}/1a2b3c4d-0000-4000-8000-000000000000.json`,
  keyId,
  kid: keyId,
  signature,
  mac: signature,
  stack,
  target: secretPath,
  usage: secretPath,
  candidates: [
    { id: secretPath, name: signature, position: 1 },
    { id: signature, name: secretPath, position: 2 },
  ],
  operation: secretPath,
  scope: signature,
};

/** The codes whose message names the project folder tried (issue #18, item 20). */
const projectFolderCodes = new Set<ErrorCode>(['invalid_project_path', 'project_changed']);

describe('userMessages', () => {
  it('has a non-empty message for every error code of the catalogue', () => {
    for (const code of errorCodes) {
      const message = userMessages[code](new JidoError(code, 'raw message'));
      expect(message.trim(), code).not.toBe('');
    }
  });

  it('covers exactly the catalogue, no more and no less', () => {
    expect(Object.keys(userMessages).sort()).toEqual([...errorCodes].sort());
  });

  it('gives each code other than usage a message of its own', () => {
    const messages = errorCodes.map((code) => userMessages[code](new JidoError(code, 'raw')));
    expect(new Set(messages).size).toBe(errorCodes.length);
  });
});

describe('sanitizeError never leaks a path, key id, MAC or stack', () => {
  it.each(errorCodes)('%s', (code: ErrorCode) => {
    // The usage message is written by the parser, so only there is the error's message trusted.
    const rawMessage =
      code === 'usage' ? 'Usage: /todo start <n>' : `failed at ${secretPath} with ${signature}`;
    const error = new JidoError(code, rawMessage, {
      details: poisonedDetails,
      cause: new Error(`inner ${secretPath}`),
    });
    const sanitized = sanitizeError(error);
    expect(sanitized.code).toBe(code);
    expect(sanitized.message.trim()).not.toBe('');
    expect(sanitized.message).not.toContain('\n');
    // A project-folder error names the folder the user typed (details.path) on purpose, and nothing
    // else: with that one path taken out, no secret may remain.
    const shown = projectFolderCodes.has(code)
      ? sanitized.message.replace(poisonedDetails.path, '<project>')
      : sanitized.message;
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(sanitized.debug.details).toBe(error.details);
    expect(sanitized.debug.message).toBe(rawMessage);
  });
});

describe('sanitizeError: messages that carry numbers', () => {
  it.each([
    [12_000, 'Too many resume attempts. Try again in 12 seconds.'],
    [12_001, 'Too many resume attempts. Try again in 13 seconds.'],
    [999, 'Too many resume attempts. Try again in 1 second.'],
    [0, 'Too many resume attempts. Try again in 1 second.'],
    [Number.NaN, 'Too many resume attempts. Try again shortly.'],
    [-5, 'Too many resume attempts. Try again shortly.'],
    ['12000', 'Too many resume attempts. Try again shortly.'],
    [undefined, 'Too many resume attempts. Try again shortly.'],
  ])('rate_limited with retryAfterMs %s', (retryAfterMs, expected) => {
    const error = new JidoError('rate_limited', 'x', { details: { retryAfterMs } });
    expect(sanitizeError(error).message).toBe(expected);
  });

  it('gives the current and maximum number of open sessions', () => {
    const error = new JidoError('session_limit_reached', 'x', { details: { current: 10, max: 10 } });
    expect(sanitizeError(error).message).toBe('Too many open sessions (10 of 10). Close one first.');
    expect(sanitizeError(new JidoError('session_limit_reached', 'x')).message).toBe(
      'Too many open sessions. Close one first.',
    );
  });

  it('says where to make a change refused because the session is open, by the change named', () => {
    const open = (change?: string) =>
      sanitizeError(new JidoError('session_active', 'x', { details: change === undefined ? {} : { change } }))
        .message;
    expect(open('rename')).toContain('rename it there with /session rename');
    expect(open('pin')).toContain('with /session pin or /session unpin');
    expect(open()).toBe('That session is open, so it cannot be changed now. Close it first.');
    expect(open('constructor')).toBe(open());
  });

  it('says how to accept an unsigned file refused by unsigned_policy', () => {
    const refused = new JidoError('unsigned', 'x', { details: { policy: 'reject' } });
    expect(sanitizeError(refused).message).toContain('JIDO_UNSIGNED_POLICY=accept-with-warning');
    expect(sanitizeError(new JidoError('unsigned', 'x')).message).toBe(
      'A session file is not signed and was refused.',
    );
  });

  it('gives the number of saved sessions and the limit', () => {
    const error = new JidoError('session_count_limit', 'x', { details: { count: 100, max: 100 } });
    expect(sanitizeError(error).message).toBe(
      'Too many saved sessions (100 of 100). Delete some first, or run jido sessions cleanup.',
    );
  });

  it('gives the valid range of an index', () => {
    const error = new JidoError('target_out_of_range', 'x', { details: { index: 9, count: 3 } });
    expect(sanitizeError(error).message).toBe('There is no such session: choose 1 to 3.');
  });
});

describe('sanitizeError: target errors from the resolver', () => {
  const entries = [
    { id: '1234abcd-0000-4000-8000-000000000001', name: 'api' },
    { id: '1234ef00-0000-4000-8000-000000000002', name: 'web' },
  ];

  it('lists the candidates of an ambiguous target', () => {
    const result = resolveTarget('1234', entries);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(sanitizeError(result.error).message).toBe(
      'That matches 2 sessions: 1: 1234abcd "api", 2: 1234ef00 "web". Use more of the id, or the number.',
    );
  });

  it('echoes a plain target that was not found', () => {
    const result = resolveTarget('nope', entries);
    expect(!result.ok && sanitizeError(result.error).message).toBe('No session matches "nope".');
  });
});

describe('sanitizeError: usage errors', () => {
  it('passes the usage text through', () => {
    const error = new JidoError('usage', 'Usage: /todo start <n>', { details: { usage: '/todo start <n>' } });
    expect(sanitizeError(error).message).toBe('Usage: /todo start <n>');
  });

  it('keeps it on one short printable line', () => {
    const error = new JidoError('usage', `Usage: \u001b[2J${'x'.repeat(1000)}\nmore`);
    const { message } = sanitizeError(error);
    expect(message).not.toContain('\u001b');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThanOrEqual(300);
  });
});

describe('sanitizeError: anything that is not a JidoError', () => {
  it.each([
    ['an Error', new Error(`EACCES: permission denied, open '${secretPath}'`)],
    ['a TypeError', new TypeError('Cannot read properties of undefined')],
    ['a string', `failed at ${secretPath}`],
    ['null', null],
    ['undefined', undefined],
    ['an object', { path: secretPath }],
  ])('%s becomes internal with a generic message', (_label, thrown) => {
    const sanitized = sanitizeError(thrown);
    expect(sanitized.code).toBe('internal');
    expect(sanitized.message).toBe('An unexpected error occurred.');
    expect(sanitized.debug.code).toBe('internal');
    expect(sanitized.debug.details).toEqual({});
  });

  it('keeps the original message, cause and stack for the debug log', () => {
    const cause = new RangeError(`bad offset in ${secretPath}`);
    const thrown = new Error(`EACCES: ${secretPath}`, { cause });
    const { debug } = sanitizeError(thrown);
    expect(debug.message).toBe(`EACCES: ${secretPath}`);
    expect(debug.cause).toBe(`RangeError: bad offset in ${secretPath}`);
    expect(debug.stack).toContain('sanitize-error.test.ts');
  });

  it('leaves cause and stack out when there are none', () => {
    const { debug } = sanitizeError('plain');
    expect(debug).toEqual({ code: 'internal', message: 'plain', details: {} });
    expect(sanitizeError(new JidoError('io_error', 'x', { cause: 'disk' })).debug.cause).toBe('disk');
  });

  it('survives details whose getters throw', () => {
    const details = Object.defineProperty({}, 'retryAfterMs', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const sanitized = sanitizeError(new JidoError('rate_limited', 'x', { details }));
    expect(sanitized.message).toBe('An unexpected error occurred.');
    expect(sanitized.code).toBe('rate_limited');
  });
});

describe('sanitizeError: recovery on open', () => {
  it('names the pid of the process a session is open in', () => {
    const error = new JidoError('already_open_elsewhere', 'held', {
      details: { id: 'x', holder: { pid: 4242, host: secretPath } },
    });
    expect(sanitizeError(error).message).toBe('That session is open in another jido process (pid 4242).');
    const unknown = new JidoError('already_open_elsewhere', 'held', { details: { holder: null } });
    expect(sanitizeError(unknown).message).toBe('That session is open in another jido process.');
  });

  it('names a quarantined journal by its path relative to the home, and nothing else', () => {
    const file =
      'journal/quarantine/1a2b3c4d-0000-4000-8000-000000000000.20260304T050607Z.bad-signature.jsonl';
    const kept = new JidoError('journal_corrupt', 'x', { details: { quarantined: file } });
    expect(sanitizeError(kept).message).toBe(
      `A session's recovery journal could not be recovered; it was kept, not deleted, at ${file} in the jido home.`,
    );
    const absolute = new JidoError('journal_corrupt', 'x', {
      details: { quarantined: `${secretPath}/${file}` },
    });
    expect(sanitizeError(absolute).message).not.toContain(secretPath);
  });

  it("names a PostgreSQL store's quarantined journal by its entry in the table, not as a home file", () => {
    const entry = '1a2b3c4d-0000-4000-8000-000000000000.20260304T050607Z.broken-chain';
    const kept = new JidoError('journal_corrupt', 'x', {
      details: { quarantined: `journal_quarantine/${entry}` },
    });
    expect(sanitizeError(kept).message).toBe(
      `A session's recovery journal could not be recovered; it was kept, not deleted, as entry ${entry} of the session database's journal_quarantine table.`,
    );
    const odd = new JidoError('journal_corrupt', 'x', {
      details: { quarantined: 'journal_quarantine/x; DROP' },
    });
    expect(sanitizeError(odd).message).toBe(
      "A session's recovery journal is damaged and could not be replayed.",
    );
  });
});

describe('sanitizeError: upgrading from JidoCode (issue #15)', () => {
  it('shows the exact chmod of an open home, and nothing else that looks like a fix', () => {
    const fix = 'chmod -R go-rwx /home/ada/.jido_code';
    const open = sanitizeError(
      new JidoError('unsafe_home', 'x', { details: { fix, path: '/home/ada/.jido_code' } }),
    );
    expect(open.message).toBe(
      `The jido home folder is open to other users; it must be private to you (mode 700). Fix it with: ${fix} (or run: jido doctor --fix).`,
    );
    for (const bad of ['rm -rf /', `${fix}\u001b[2J`, 42]) {
      const message = sanitizeError(new JidoError('unsafe_home', 'x', { details: { fix: bad } })).message;
      expect(message).not.toContain('Fix it with');
      expect(message).not.toContain('rm -rf');
    }
  });

  it("names JidoCode's missing machine_secret, and a stripped signature as tampered", () => {
    const key = sanitizeError(
      new JidoError('unknown_key', 'x', { details: { signer: 'jidocode', path: '/h/machine_secret' } }),
    );
    expect(key.message).toContain('machine_secret');
    expect(key.message).not.toContain('/h/');
    const stripped = sanitizeError(new JidoError('signature_invalid', 'x', { details: { downgrade: true } }));
    expect(stripped.message).toBe(
      'A session file lost the signature it was saved with and was refused as tampered.',
    );
  });
});

describe('sanitizeError: project folder errors name the folder tried', () => {
  it('with the reason, printable and shortened', () => {
    const error = new JidoError('invalid_project_path', 'x', {
      details: { path: '/home/me/code/api\u001b[2J', reason: 'is not a directory' },
    });
    expect(sanitizeError(error).message).toBe('The project folder /home/me/code/api?[2J is not a directory.');
    const unknownReason = new JidoError('invalid_project_path', 'x', {
      details: { path: '/p', reason: 'leaks /etc/shadow' },
    });
    expect(sanitizeError(unknownReason).message).toBe(
      'The project folder /p does not exist or is not a folder you can use.',
    );
  });
});
