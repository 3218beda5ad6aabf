import { err, ok, type Result } from '@jido-code/core-schema';
import { z } from 'zod';
import { corrupt, keyringDocumentVersion, keyringJson, maxKeyringKeys } from './keyring-document.js';
import { decodeCanonicalBase64url, keyIdPattern, secretLength } from './signature.js';

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

/** Validates a parsed keyring document with the schema; every defect is `keyring_corrupt`. */
export function validateKeyringDocument(value: unknown): Result<KeyringDocument> {
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

/**
 * Parses and validates keyring document bytes. Every defect (invalid UTF-8 or JSON, another
 * format, an unknown version, a bad secret, duplicate ids, no active key) is a `keyring_corrupt`
 * error. Details name only the failing paths and checks, never the text, so no secret can leak
 * into a log; for the same reason the JSON parser's error (which quotes the input) is not kept.
 */
export function parseKeyringDocument(bytes: Uint8Array): Result<KeyringDocument> {
  const json = keyringJson(bytes);
  return json.ok ? validateKeyringDocument(json.value) : json;
}
