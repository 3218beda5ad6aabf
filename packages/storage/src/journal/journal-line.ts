import {
  canonicalJson,
  err,
  JidoError,
  type JsonValue,
  limits,
  ok,
  parseJson,
  type Result,
  toJidoError,
} from '@jido-code/core-schema';
import type { JournalRecord } from './journal-record.js';
import type { JournalSigner } from './journal-signer.js';

/** The timestamps `Date.prototype.toISOString` gives for years 0000–9999, the only ones a line may carry. */
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Keys of a journal line, in canonical (sorted) order. */
const lineKeys = ['at', 'data', 'mac', 'prev', 'seq', 'type'] as const;

/** Everything a line commits to: the record, its place in the chain and the session it belongs to. */
export interface ChainPosition {
  /** The session whose journal this is; signed, so a line cannot be moved to another journal. */
  readonly sessionId: string;
  /** The MAC of the previous line, or '' for the first line. */
  readonly prev: string;
}

/** A record encoded as one journal line, ready to be written. */
export interface EncodedJournalLine {
  /** The record the line carries. */
  readonly record: JournalRecord;
  /** The line's MAC, which the next line chains to. */
  readonly mac: string;
  /** The UTF-8 bytes of the line, including the terminating '\n'. */
  readonly bytes: Buffer;
}

/** A line that parsed and checked: verified when sealed, or waiting for the line that seals it. */
export interface VerifiedJournalLine {
  /** The record the line carries. */
  readonly record: JournalRecord;
  /** The line's MAC, which the next batch must chain to; '' for an unsealed line. */
  readonly mac: string;
}

/** True when `type` is an acceptable record type: a non-empty short string. */
function isJournalRecordType(type: unknown): type is string {
  return typeof type === 'string' && type.length > 0 && type.length <= limits.maxShortStringLength;
}

/** True when `at` is an ISO 8601 UTC timestamp as `toISOString` writes it. */
function isJournalTimestamp(at: unknown): at is string {
  return typeof at === 'string' && timestampPattern.test(at);
}

/**
 * The exact text that is signed for a line: canonical JSON of the record, the previous MAC and the
 * session id. The session id is signed but not stored in the line.
 */
export function journalSigningPayload(record: JournalRecord, position: ChainPosition): Result<string> {
  return canonicalJson({
    session: position.sessionId,
    seq: record.seq,
    at: record.at,
    type: record.type,
    data: record.data,
    prev: position.prev,
  });
}

/**
 * A chain position whose strings are already canonical JSON: a writer keeps them from line to line
 * (the session's never changes, and a line's `prev` is the previous line's MAC it encoded), so an
 * append serializes neither again.
 */
export interface EncodedChainPosition {
  /** `canonicalJson(sessionId)`. */
  readonly sessionJson: string;
  /** `canonicalJson(prev)`. */
  readonly prevJson: string;
}

/** A record encoded as one journal line, sealed, as text. */
export interface JournalLineText {
  /** The line's MAC, which the next line chains to. */
  readonly mac: string;
  /** `canonicalJson(mac)`: the next line's {@link EncodedChainPosition.prevJson}. */
  readonly macJson: string;
  /** The line, including the terminating '\n'. */
  readonly text: string;
}

/**
 * A record encoded as one journal line, not yet sealed: what a writer queues until its batch is
 * written. It becomes either an unsealed line (`"mac":""`) that the last line of its batch seals,
 * or that sealing line (see {@link sealJournalLine}).
 */
export interface PreparedJournalLine {
  /** `{"at":…,"data":…`: the fields before `mac`. */
  readonly head: string;
  /** `"prev":…,"seq":…`: the fields between `mac` and `type`. */
  readonly tail: string;
  /** `canonicalJson(type)`. */
  readonly typeJson: string;
  /** The whole line with an empty MAC, including the terminating '\n'. */
  readonly unsealed: string;
}

/**
 * Checks and encodes a record chained to `prevJson`, without signing it. Data that JSON cannot
 * represent exactly, or that is nested too deeply to be read back, is refused here, before
 * anything is written. The data is serialized once and every form of the line is assembled around
 * it, byte for byte what `canonicalJson` of the whole objects gives (a test holds them equal).
 */
export function prepareJournalLine(record: JournalRecord, prevJson: string): Result<PreparedJournalLine> {
  if (!isJournalRecordType(record.type)) {
    return err(new JidoError('invalid_value', 'The journal record type is not valid.'));
  }
  if (!isJournalTimestamp(record.at)) {
    return err(new JidoError('invalid_value', 'The journal record timestamp is not valid.'));
  }
  if (!Number.isSafeInteger(record.seq)) {
    return err(new JidoError('invalid_value', 'The journal record sequence number is not valid.'));
  }
  // Wrapped in an array so the depth limit counts the level the line's object adds around it.
  const wrapped = canonicalJson([record.data]);
  if (!wrapped.ok) return wrapped;
  const typeJson = canonicalJson(record.type);
  if (!typeJson.ok) return typeJson;
  const head = `{"at":"${record.at}","data":${wrapped.value.slice(1, -1)}`;
  const tail = `"prev":${prevJson},"seq":${record.seq}`;
  const unsealed = `${head},"mac":"",${tail},"type":${typeJson.value}}\n`;
  return ok({ head, tail, typeJson: typeJson.value, unsealed });
}

/**
 * Signs `line` as the last line of its batch. The MAC covers `before` (the unsealed lines written
 * ahead of it in the same batch, exactly as written, each with its '\n'; '' for a batch of one)
 * followed by the line's signing payload ({@link journalSigningPayload}). Canonical JSON holds no
 * raw '\n', so the two parts cannot be confused, and with `before` empty the MAC is a single
 * line's, as every line of a journal written one append at a time carries.
 */
export function sealJournalLine(
  line: PreparedJournalLine,
  sessionJson: string,
  before: string,
  signer: JournalSigner,
): Result<JournalLineText> {
  const payload = `${line.head},${line.tail},"session":${sessionJson},"type":${line.typeJson}}`;
  let mac: string;
  try {
    mac = signer.sign(before === '' ? payload : before + payload);
  } catch (cause) {
    return err(toJidoError(cause, 'internal', 'The journal record could not be signed.'));
  }
  if (typeof mac !== 'string' || mac.length === 0) {
    return err(new JidoError('internal', 'The journal record could not be signed.'));
  }
  const macJson = canonicalJson(mac);
  if (!macJson.ok) return macJson;
  const text = `${line.head},"mac":${macJson.value},${line.tail},"type":${line.typeJson}}\n`;
  return ok({ mac, macJson: macJson.value, text });
}

/**
 * {@link encodeJournalLine} from a position already in canonical JSON: one record sealed alone,
 * as a line of its own batch.
 */
export function encodeJournalLineText(
  record: JournalRecord,
  position: EncodedChainPosition,
  signer: JournalSigner,
): Result<JournalLineText> {
  const prepared = prepareJournalLine(record, position.prevJson);
  if (!prepared.ok) return prepared;
  return sealJournalLine(prepared.value, position.sessionJson, '', signer);
}

/**
 * Encodes and signs one record as `canonicalJson({ seq, at, type, data, prev, mac })` + '\n', a
 * line sealed alone (see {@link prepareJournalLine} for what is refused).
 */
export function encodeJournalLine(
  record: JournalRecord,
  position: ChainPosition,
  signer: JournalSigner,
): Result<EncodedJournalLine> {
  const prevJson = canonicalJson(position.prev);
  if (!prevJson.ok) return prevJson;
  const sessionJson = canonicalJson(position.sessionId);
  if (!sessionJson.ok) return sessionJson;
  const encoded = encodeJournalLineText(
    record,
    { sessionJson: sessionJson.value, prevJson: prevJson.value },
    signer,
  );
  if (!encoded.ok) return encoded;
  return ok({ record, mac: encoded.value.mac, bytes: Buffer.from(encoded.value.text, 'utf8') });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks one complete line (without its '\n') that must be record `seq` chained to
 * `position.prev`. Fails with a short reason when the line is not valid JSON, not exactly the
 * canonical encoding of a well-formed line, out of sequence, chained to another line, or badly
 * signed. Requiring the canonical bytes means no edit of a line can leave it accepted. An unsealed
 * line (`mac` '') is returned with `mac` '' and is not yet verified: the next sealed line's MAC
 * covers it, given here as `before` (the unsealed lines since the last sealed one, each with its
 * '\n'). Throws only if the signer does.
 */
export function verifyJournalLine(
  text: string,
  seq: number,
  position: ChainPosition,
  signer: JournalSigner,
  before = '',
): Result<VerifiedJournalLine, string> {
  const parsed = parseJson(text, { maxDepth: limits.maxDepth });
  if (!parsed.ok) return err('unparseable');
  const line = parsed.value;
  if (!isPlainObject(line)) return err('not an object');
  const keys = Object.keys(line).sort();
  if (keys.length !== lineKeys.length || keys.some((key, index) => key !== lineKeys[index])) {
    return err('unexpected fields');
  }
  const { at, data, mac, prev, type } = line;
  if (
    !Number.isSafeInteger(line.seq) ||
    !isJournalTimestamp(at) ||
    !isJournalRecordType(type) ||
    typeof prev !== 'string' ||
    typeof mac !== 'string'
  ) {
    return err('malformed fields');
  }
  const canonical = canonicalJson(line);
  if (!canonical.ok || canonical.value !== text) return err('not canonical');
  if (line.seq !== seq) return err('out of sequence');
  if (prev !== position.prev) return err('chain broken');
  const record: JournalRecord = { seq, at, type, data: data as JsonValue };
  if (mac === '') return ok({ record, mac });
  const payload = journalSigningPayload(record, position);
  if (!payload.ok || !signer.verify(before + payload.value, mac)) return err('signature invalid');
  return ok({ record, mac });
}
