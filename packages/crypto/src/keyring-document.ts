import { err, isPlainRecord, isUtcTimestamp, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { KeyringDocument, KeyringKey } from './keyring-document-schema.js';
import { decodeCanonicalBase64url, keyIdPattern, secretLength } from './signature.js';

// Every command that signs or verifies reads the keyring. It is checked here without zod (a
// property test holds `acceptKeyringDocument` to `keyringDocumentSchema`); the schema, imported
// only for a document this check does not accept, reports what is wrong.

export type { KeyringDocument, KeyringKey };

/** Most keys a keyring document may hold, retired ones included; bounds parsing work. */
export const maxKeyringKeys = 1024;

/** The only document version this package reads and writes. */
export const keyringDocumentVersion = 1;

const corruptMessage = 'The signing keyring is corrupt and cannot be used.';

export function corrupt(reason: string, details: Readonly<Record<string, unknown>> = {}): JidoError {
  return new JidoError('keyring_corrupt', corruptMessage, { details: { reason, ...details } });
}

/** The JSON value of keyring document bytes, or `keyring_corrupt` for bad UTF-8, JSON or version. */
export function keyringJson(bytes: Uint8Array): Result<unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return err(corrupt('invalid_utf8'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err(corrupt('invalid_json'));
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'version' in value &&
    value.version !== keyringDocumentVersion
  ) {
    const version = typeof value.version === 'number' ? value.version : typeof value.version;
    return err(corrupt('unsupported_version', { version }));
  }
  return ok(value);
}

const keyFields = new Set(['kid', 'secret', 'created_at', 'retired_at']);
const documentFields = new Set(['format', 'version', 'keys']);

function hasOnly(value: Record<string, unknown>, fields: ReadonlySet<string>): boolean {
  for (const key in value) if (!Object.hasOwn(value, key) || !fields.has(key)) return false;
  return true;
}

const isTimestamp = (value: unknown): value is string => typeof value === 'string' && isUtcTimestamp(value);

function acceptKey(value: unknown): KeyringKey | undefined {
  if (!isPlainRecord(value) || !hasOnly(value, keyFields)) return undefined;
  const { kid, secret, created_at, retired_at } = value;
  if (typeof kid !== 'string' || !keyIdPattern.test(kid) || !isTimestamp(created_at)) return undefined;
  const retired = Object.hasOwn(value, 'retired_at');
  const hasSecret = Object.hasOwn(value, 'secret');
  if (retired === hasSecret || (retired && !isTimestamp(retired_at))) return undefined;
  if (
    hasSecret &&
    (typeof secret !== 'string' || decodeCanonicalBase64url(secret, secretLength) === undefined)
  ) {
    return undefined;
  }
  return retired
    ? { kid, created_at, retired_at: retired_at as string }
    : { kid, secret: secret as string, created_at };
}

/** The document as `keyringDocumentSchema` would return it, or undefined. */
export function acceptKeyringDocument(value: unknown): KeyringDocument | undefined {
  if (!isPlainRecord(value) || !hasOnly(value, documentFields)) return undefined;
  if (value.format !== 'jido-keyring' || value.version !== keyringDocumentVersion) return undefined;
  const { keys } = value;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > maxKeyringKeys) return undefined;
  const accepted: KeyringKey[] = [];
  const seen = new Set<string>();
  for (const item of keys) {
    const key = acceptKey(item);
    if (key === undefined || seen.has(key.kid)) return undefined;
    seen.add(key.kid);
    accepted.push(key);
  }
  if (!accepted.some((key) => key.retired_at === undefined)) return undefined;
  return { format: 'jido-keyring', version: keyringDocumentVersion, keys: accepted };
}

/**
 * Parses and validates keyring document bytes as `parseKeyringDocument` does, importing the
 * schema only to report a document the fast check does not accept.
 */
export async function checkKeyringDocument(bytes: Uint8Array): Promise<Result<KeyringDocument>> {
  const json = keyringJson(bytes);
  if (!json.ok) return json;
  const accepted = acceptKeyringDocument(json.value);
  if (accepted !== undefined) return ok(accepted);
  const { validateKeyringDocument } = await import('./keyring-document-schema.js');
  return validateKeyringDocument(json.value);
}

/** Serializes a keyring document as indented UTF-8 JSON with a trailing newline. */
export function serializeKeyringDocument(document: KeyringDocument): Uint8Array {
  const normalized = {
    format: document.format,
    version: document.version,
    keys: document.keys.map((key) => ({
      kid: key.kid,
      ...(key.secret === undefined ? {} : { secret: key.secret }),
      created_at: key.created_at,
      ...(key.retired_at === undefined ? {} : { retired_at: key.retired_at }),
    })),
  };
  return new TextEncoder().encode(`${JSON.stringify(normalized, null, 2)}\n`);
}
