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

/** A line that parsed and verified. */
export interface VerifiedJournalLine {
  /** The record the line carries. */
  readonly record: JournalRecord;
  /** The line's MAC, which the next line must chain to. */
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

/** A record encoded as one journal line, as text: what a writer queues until its batch is written. */
export interface JournalLineText {
  /** The line's MAC, which the next line chains to. */
  readonly mac: string;
  /** `canonicalJson(mac)`: the next line's {@link EncodedChainPosition.prevJson}. */
  readonly macJson: string;
  /** The line, including the terminating '\n'. */
  readonly text: string;
}

/**
 * Encodes and signs one record as `canonicalJson({ seq, at, type, data, prev, mac })` + '\n'. Data
 * that JSON cannot represent exactly, or that is nested too deeply to be read back, is refused
 * here, before anything is written. The data is serialized once and both the signed payload and
 * the line are assembled around it, byte for byte what {@link journalSigningPayload} and
 * `canonicalJson` of the whole line give (their keys are fixed and sorted here; a test holds them
 * equal).
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

/**
 * {@link encodeJournalLine} from a position already in canonical JSON, giving the line as text and
 * the MAC's JSON for the next line: the writer's append path, which serializes only the record.
 */
export function encodeJournalLineText(
  record: JournalRecord,
  position: EncodedChainPosition,
  signer: JournalSigner,
): Result<JournalLineText> {
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
  const type = canonicalJson(record.type);
  if (!type.ok) return type;
  const head = `{"at":"${record.at}","data":${wrapped.value.slice(1, -1)}`;
  const tail = `"prev":${position.prevJson},"seq":${record.seq}`;
  let mac: string;
  try {
    mac = signer.sign(`${head},${tail},"session":${position.sessionJson},"type":${type.value}}`);
  } catch (cause) {
    return err(toJidoError(cause, 'internal', 'The journal record could not be signed.'));
  }
  if (typeof mac !== 'string' || mac.length === 0) {
    return err(new JidoError('internal', 'The journal record could not be signed.'));
  }
  const macJson = canonicalJson(mac);
  if (!macJson.ok) return macJson;
  const text = `${head},"mac":${macJson.value},${tail},"type":${type.value}}\n`;
  return ok({ mac, macJson: macJson.value, text });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and verifies one complete line (without its '\n') that must be record `seq` chained to
 * `position.prev`. Fails with a short reason when the line is not valid JSON, not exactly the
 * canonical encoding of a well-formed line, out of sequence, chained to another line, or badly
 * signed. Requiring the canonical bytes means no edit of a line can leave it accepted. Throws only
 * if the signer does.
 */
export function verifyJournalLine(
  text: string,
  seq: number,
  position: ChainPosition,
  signer: JournalSigner,
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
    typeof mac !== 'string' ||
    mac.length === 0
  ) {
    return err('malformed fields');
  }
  const canonical = canonicalJson(line);
  if (!canonical.ok || canonical.value !== text) return err('not canonical');
  if (line.seq !== seq) return err('out of sequence');
  if (prev !== position.prev) return err('chain broken');
  const record: JournalRecord = { seq, at, type, data: data as JsonValue };
  const payload = journalSigningPayload(record, position);
  if (!payload.ok || !signer.verify(payload.value, mac)) return err('signature invalid');
  return ok({ record, mac });
}
