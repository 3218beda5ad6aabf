import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import { z } from 'zod';
import { decodeCanonicalBase64url, keyIdPattern, secretLength } from './signature.js';

/** Most keys a keyring document may hold, retired ones included; bounds parsing work. */
export const maxKeyringKeys = 1024;

/** The only document version this package reads and writes. */
export const keyringDocumentVersion = 1;

/**
 * One key of the ring. An active key carries its secret; a retired key keeps only its id and
 * dates (its secret is dropped), so its id is never reused and its files fail as "unknown key".
 */
export const keyringKeySchema = z
  .strictObject({
    /** Key id: 8 lowercase hex characters, unique within the ring. */
    kid: z.string().regex(keyIdPattern),
    /** The 256-bit secret as canonical unpadded base64url; present exactly when the key is not retired. */
    secret: z.string().optional(),
    /** When the key was created (ISO 8601, UTC). */
    created_at: z.iso.datetime(),
    /** When the key was retired (ISO 8601, UTC); absent for an active key. */
    retired_at: z.iso.datetime().optional(),
  })
  .superRefine((key, context) => {
    if (key.retired_at === undefined && key.secret === undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: 'an active key needs a secret' });
    }
    if (key.retired_at !== undefined && key.secret !== undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: 'a retired key keeps no secret' });
    }
    if (key.secret !== undefined && decodeCanonicalBase64url(key.secret, secretLength) === undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: 'a secret is 32 bytes of base64url' });
    }
  });

/** See {@link keyringKeySchema}. */
export type KeyringKey = z.infer<typeof keyringKeySchema>;

/**
 * The keyring document, `{ format: 'jido-keyring', version: 1, keys: [...] }`. Keys are kept in
 * creation order; the last active key signs. Unknown fields are refused rather than dropped, so a
 * misspelt `retired_at` cannot silently leave a key active.
 */
export const keyringDocumentSchema = z
  .strictObject({
    /** Marks the document as a jido-code keyring. */
    format: z.literal('jido-keyring'),
    /** Document version; see {@link keyringDocumentVersion}. */
    version: z.literal(keyringDocumentVersion),
    /** Every key, oldest first, retired ones included. */
    keys: z.array(keyringKeySchema).min(1).max(maxKeyringKeys),
  })
  .superRefine((document, context) => {
    const seen = new Set<string>();
    document.keys.forEach((key, index) => {
      if (seen.has(key.kid)) {
        context.addIssue({ code: 'custom', path: ['keys', index, 'kid'], message: 'duplicate key id' });
      }
      seen.add(key.kid);
    });
    if (!document.keys.some((key) => key.retired_at === undefined)) {
      context.addIssue({ code: 'custom', path: ['keys'], message: 'no active key' });
    }
  });

/** See {@link keyringDocumentSchema}. */
export type KeyringDocument = z.infer<typeof keyringDocumentSchema>;

const corruptMessage = 'The signing keyring is corrupt and cannot be used.';

function corrupt(reason: string, details: Readonly<Record<string, unknown>> = {}): JidoError {
  return new JidoError('keyring_corrupt', corruptMessage, { details: { reason, ...details } });
}

/**
 * Parses and validates keyring document bytes. Every defect (invalid UTF-8 or JSON, another
 * format, an unknown version, a bad secret, duplicate ids, no active key) is a `keyring_corrupt`
 * error. Details name only the failing paths and checks, never the text, so no secret can leak
 * into a log; for the same reason the JSON parser's error (which quotes the input) is not kept.
 */
export function parseKeyringDocument(bytes: Uint8Array): Result<KeyringDocument> {
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
  const parsed = keyringDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      code: issue.code,
      ...(issue.code === 'custom' ? { check: issue.message } : {}),
    }));
    return err(corrupt('invalid_document', { issues }));
  }
  return ok(parsed.data);
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
