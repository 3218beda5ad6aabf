import { canonicalJson, type JsonValue } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import {
  encodeJournalLine,
  encodeJournalLineText,
  journalSigningPayload,
  prepareJournalLine,
  sealJournalLine,
  verifyJournalLine,
} from './journal-line.js';

const signer = hmacSigner();
const at = '2024-05-01T12:00:00.000Z';

/** The test signer, keeping every payload it signs. */
function recordingSigner() {
  const signed: string[] = [];
  const recording = {
    sign: (payload: string) => {
      signed.push(payload);
      return signer.sign(payload);
    },
    verify: signer.verify,
  };
  return { signed, recording };
}

function encode(sessionId: string, seq: number, data: JsonValue, prev = '') {
  const encoded = encodeJournalLine({ seq, at, type: 'message', data }, { sessionId, prev }, signer);
  if (!encoded.ok) throw encoded.error;
  return encoded.value;
}

describe('encodeJournalLine', () => {
  it('writes the canonical JSON of { seq, at, type, data, prev, mac } and a newline', () => {
    const sessionId = newSessionId();
    const line = encode(sessionId, 1, { text: 'héllo ☕', n: 1 });
    const text = line.bytes.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1).includes('\n')).toBe(false);
    const expected = canonicalJson({
      seq: 1,
      at,
      type: 'message',
      data: { text: 'héllo ☕', n: 1 },
      prev: '',
      mac: line.mac,
    });
    expect(expected.ok && expected.value).toBe(text.slice(0, -1));
  });

  it('signs the session id, so the same record in another journal has another MAC', () => {
    const record = { seq: 1, at, type: 'open', data: null };
    const one = journalSigningPayload(record, { sessionId: newSessionId(), prev: '' });
    const other = journalSigningPayload(record, { sessionId: newSessionId(), prev: '' });
    expect(one.ok && other.ok && one.value !== other.value).toBe(true);
  });

  it.each([
    ['an empty type', '', null],
    ['a type over 256 characters', 'x'.repeat(257), null],
    ['NaN in the data', 'message', { value: Number.NaN }],
    ['undefined in the data', 'message', { value: undefined }],
    ['a lone surrogate in the data', 'message', '\ud800'],
  ])('refuses %s before anything is written', (_name, type, data) => {
    const result = encodeJournalLine(
      { seq: 1, at, type, data: data as JsonValue },
      { sessionId: newSessionId(), prev: '' },
      signer,
    );
    expect(result.ok).toBe(false);
  });

  it('refuses data nested too deeply to be read back', () => {
    let data: JsonValue = 'leaf';
    for (let depth = 0; depth < 40; depth++) data = [data];
    const result = encodeJournalLine(
      { seq: 1, at, type: 'message', data },
      { sessionId: newSessionId(), prev: '' },
      signer,
    );
    expect(result.ok).toBe(false);
  });

  it('gives byte for byte the canonical JSON of the whole payload and of the whole line', () => {
    // The oracle is the encoding the line is assembled in place of: canonicalJson of the objects.
    const { signed, recording } = recordingSigner();
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('a,b', 'x\ud800', '"\\\n')),
        fc.oneof(fc.constant(''), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 8 })),
        fc.nat(),
        (data, type, prev, seq) => {
          const sessionId = newSessionId();
          const record = { seq, at, type, data: data as JsonValue };
          const encoded = encodeJournalLine(record, { sessionId, prev }, recording);
          const payload = journalSigningPayload(record, { sessionId, prev });
          if (!payload.ok) {
            expect(encoded.ok).toBe(false);
            return;
          }
          expect(encoded.ok).toBe(true);
          if (!encoded.ok) return;
          expect(signed.at(-1)).toBe(payload.value);
          const line = canonicalJson({ ...record, prev, mac: encoded.value.mac });
          expect(line.ok && `${line.value}\n`).toBe(encoded.value.bytes.toString('utf8'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('chains lines encoded from JSON positions as a writer does: each prev is the last macJson', () => {
    const sessionId = newSessionId();
    let prev = '';
    let prevJson = JSON.stringify(prev);
    for (let seq = 1; seq <= 3; seq++) {
      const record = { seq, at, type: 'message', data: { seq, text: 'héllo "☕"' } };
      const encoded = encodeJournalLineText(
        record,
        { sessionJson: JSON.stringify(sessionId), prevJson },
        signer,
      );
      if (!encoded.ok) throw encoded.error;
      const plain = encodeJournalLine(record, { sessionId, prev }, signer);
      expect(plain.ok && plain.value.bytes.toString('utf8')).toBe(encoded.value.text);
      expect(encoded.value.macJson).toBe(JSON.stringify(encoded.value.mac));
      const verified = verifyJournalLine(encoded.value.text.slice(0, -1), seq, { sessionId, prev }, signer);
      expect(verified.ok && verified.value.mac).toBe(encoded.value.mac);
      prev = encoded.value.mac;
      prevJson = encoded.value.macJson;
    }
  });

  it('reports a signer failure as a result, not a throw', () => {
    const broken = {
      sign: () => {
        throw new Error('keyring gone');
      },
      verify: () => false,
    };
    const result = encodeJournalLine(
      { seq: 1, at, type: 'message', data: 1 },
      { sessionId: newSessionId(), prev: '' },
      broken,
    );
    expect(result.ok).toBe(false);
  });
});

describe('verifyJournalLine', () => {
  const sessionId = newSessionId();
  const first = encode(sessionId, 1, { text: 'one' });
  const text = first.bytes.toString('utf8').slice(0, -1);

  it('accepts the line it was given, at its place in the chain', () => {
    const verified = verifyJournalLine(text, 1, { sessionId, prev: '' }, signer);
    expect(verified).toEqual({ ok: true, value: { record: first.record, mac: first.mac } });
  });

  it.each([
    ['another sequence number', 2, sessionId, '', 'out of sequence'],
    ['another previous MAC', 1, sessionId, 'x', 'chain broken'],
    ['another session', 1, newSessionId(), '', 'signature invalid'],
  ])('refuses it with %s', (_name, seq, session, prev, reason) => {
    expect(verifyJournalLine(text, seq, { sessionId: session, prev }, signer)).toEqual({
      ok: false,
      error: reason,
    });
  });

  it('refuses a line signed with another key', () => {
    const other = hmacSigner(Buffer.from('another key'));
    expect(verifyJournalLine(text, 1, { sessionId, prev: '' }, other)).toEqual({
      ok: false,
      error: 'signature invalid',
    });
  });

  it.each([
    ['whitespace added', text.replace('{', '{ '), 'not canonical'],
    ['an escaped character', text.replace('"one"', '"\\u006fne"'), 'not canonical'],
    ['a duplicated key', text.replace('{', '{"seq":7,'), 'not canonical'],
    ['an extra field', text.replace('{', '{"extra":1,'), 'unexpected fields'],
    ['an array', `[${text}]`, 'not an object'],
    ['truncated JSON', text.slice(0, -1), 'unparseable'],
    ['a non-integer seq', text.replace('"seq":1', '"seq":1.5'), 'malformed fields'],
  ])('refuses a line with %s', (_name, changed, reason) => {
    expect(verifyJournalLine(changed, 1, { sessionId, prev: '' }, signer)).toEqual({
      ok: false,
      error: reason,
    });
  });
});

describe('batches: unsealed lines and the line that seals them', () => {
  const sessionId = newSessionId();
  const sessionJson = JSON.stringify(sessionId);

  function prepare(seq: number, data: JsonValue, prevJson = '""') {
    const prepared = prepareJournalLine({ seq, at, type: 'message', data }, prevJson);
    if (!prepared.ok) throw prepared.error;
    return prepared.value;
  }

  function seal(seq: number, data: JsonValue, before: string, prevJson = '""') {
    const sealed = sealJournalLine(prepare(seq, data, prevJson), sessionJson, before, signer);
    if (!sealed.ok) throw sealed.error;
    return sealed.value;
  }

  it('writes an unsealed line as the canonical JSON of the line with an empty MAC', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.nat(), (data, seq) => {
        const prepared = prepareJournalLine({ seq, at, type: 'message', data: data as JsonValue }, '""');
        const whole = canonicalJson({ seq, at, type: 'message', data, prev: '', mac: '' });
        expect(prepared.ok).toBe(whole.ok);
        if (prepared.ok && whole.ok) expect(prepared.value.unsealed).toBe(`${whole.value}\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('seals a batch alone as encodeJournalLine does: a batch of one is a line of the first format', () => {
    const sealed = seal(1, { text: 'alone' }, '');
    const plain = encode(sessionId, 1, { text: 'alone' });
    expect(sealed.text).toBe(plain.bytes.toString('utf8'));
  });

  it("signs the unsealed lines before the seal, byte for byte, with the seal's own payload", () => {
    const { signed, recording } = recordingSigner();
    const before = prepare(1, 'one').unsealed + prepare(2, 'two').unsealed;
    const sealed = sealJournalLine(prepare(3, 'three'), sessionJson, before, recording);
    if (!sealed.ok) throw sealed.error;
    const payload = journalSigningPayload(
      { seq: 3, at, type: 'message', data: 'three' },
      { sessionId, prev: '' },
    );
    expect(payload.ok && signed).toEqual([before + (payload.ok ? payload.value : '')]);
    const text = sealed.value.text.slice(0, -1);
    expect(verifyJournalLine(text, 3, { sessionId, prev: '' }, signer, before).ok).toBe(true);
    // Any other batch ahead of it, or none, fails the seal.
    for (const other of ['', prepare(1, 'one').unsealed, before.replace('two', 'tw0')]) {
      expect(verifyJournalLine(text, 3, { sessionId, prev: '' }, signer, other)).toEqual({
        ok: false,
        error: 'signature invalid',
      });
    }
  });

  it('checks an unsealed line in place and returns it with an empty MAC, without the signer', () => {
    const refusing = {
      sign: signer.sign,
      verify: () => expect.unreachable('an unsealed line is not verified'),
    };
    const text = prepare(4, { text: 'four' }, JSON.stringify('previous')).unsealed.slice(0, -1);
    expect(verifyJournalLine(text, 4, { sessionId, prev: 'previous' }, refusing)).toEqual({
      ok: true,
      value: { record: { seq: 4, at, type: 'message', data: { text: 'four' } }, mac: '' },
    });
    expect(verifyJournalLine(text, 5, { sessionId, prev: 'previous' }, refusing)).toEqual({
      ok: false,
      error: 'out of sequence',
    });
    expect(verifyJournalLine(text, 4, { sessionId, prev: 'other' }, refusing)).toEqual({
      ok: false,
      error: 'chain broken',
    });
  });

  it('refuses data to seal as it refuses data to encode, and reports a signer failure as a result', () => {
    expect(prepareJournalLine({ seq: 1, at, type: 'message', data: Number.NaN }, '""').ok).toBe(false);
    const broken = {
      sign: () => {
        throw new Error('keyring gone');
      },
      verify: () => false,
    };
    const sealed = sealJournalLine(prepare(1, 'x'), sessionJson, '', broken);
    expect(sealed.ok ? undefined : sealed.error.code).toBe('internal');
  });
});
