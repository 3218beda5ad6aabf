import { canonicalJson } from './canonical-json.js';
import type { Result } from './result.js';
import type { Session, UnsignedSession } from './session.js';

/** Drops the signature from a session, leaving exactly what is signed. */
export function withoutSignature(session: Session): UnsignedSession {
  const { signature: _signature, ...rest } = session;
  return rest;
}

/**
 * The bytes a session's signature covers: canonical JSON of every field but `signature`.
 * Two sessions with the same content give the same payload whatever their key order.
 */
export function signingPayload(session: Session | UnsignedSession): Result<string> {
  return canonicalJson(withoutSignature(session as Session));
}
