import { err, JidoError, ok, type Result, type UnsignedPolicy } from '@jido-code/core-schema';
import type { VerifyResult } from '@jido-code/crypto';
import type { SignedIdLedger } from '../backend/session-backend.js';
import { isNewestFirst, oldestFirst } from '../jidocode/conversation-order.js';
import { isJidoCodeSignature, verifyJidoCodeSignature } from '../jidocode/jidocode-signature.js';
import {
  applyVerification,
  type DecodedSession,
  type LoadedSession,
  type VerifyPayload,
  verifyDecoded,
} from './session-codec.js';

/** What verifying one session file needs from the store. */
export interface SessionVerifier {
  /** The keyring's verify. */
  readonly verify: VerifyPayload;
  /** Reloads the keyring (another process may have rotated) before one retry of `unknown_key`. */
  readonly reloadKeyring: () => Promise<void>;
  /** JidoCode's key for this home, derived on first use; throws `unknown_key` without `machine_secret`. */
  readonly jidoCodeKey: () => Promise<Uint8Array>;
  /** The downgrade guard. */
  readonly ledger: SignedIdLedger;
  /** The unsigned policy. */
  readonly policy: UnsignedPolicy;
}

const signatureShaped = /^(?:v1:[0-9a-f]{8}:[A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{43}=)$/;

/** An unknown top-level key holding a signature: `signature` renamed to slip past verification. */
function renamedSignature(decoded: DecodedSession): string | undefined {
  return decoded.unknownKeys.find((key) => {
    const value = decoded.document[key];
    return typeof value === 'string' && signatureShaped.test(value);
  });
}

function tampered(message: string, details: Record<string, unknown>): JidoError {
  return new JidoError('signature_invalid', message, { details });
}

async function verifyJidoCode(
  decoded: DecodedSession,
  bytes: Uint8Array,
  verifier: SessionVerifier,
): Promise<Result<LoadedSession>> {
  let key: Uint8Array;
  try {
    key = await verifier.jidoCodeKey();
  } catch (error) {
    return err(
      error instanceof JidoError ? error : new JidoError('unknown_key', 'The JidoCode key is unavailable.'),
    );
  }
  const text = Buffer.from(bytes).toString('utf8');
  if (!verifyJidoCodeSignature(bytes, text, decoded.signature ?? '', key)) {
    return err(
      tampered('The session file was changed after JidoCode signed it and was refused.', {
        signer: 'jidocode',
      }),
    );
  }
  const warnings = ['jidocode_key'];
  if (decoded.unknownKeys.length > 0) warnings.push('unknown_keys');
  return ok({
    session: decoded.session,
    signed: true,
    signer: 'jidocode',
    fromVersion: decoded.fromVersion,
    warnings,
  });
}

/** The verification again after one keyring reload: another process may have rotated its keys. */
async function verifyAfterReload(
  decoded: DecodedSession,
  verifier: SessionVerifier,
): Promise<Result<VerifyResult>> {
  await verifier.reloadKeyring();
  return verifyDecoded(decoded, verifier.verify);
}

/**
 * Verifies a decoded session file: a JidoCode signature with JidoCode's key, any other with the
 * keyring. A valid signature records the id in the downgrade ledger. An unsigned file follows the
 * policy, except for an id the ledger holds or a file whose signature was renamed: those are
 * refused as tampered under any policy. A newest-first conversation is returned oldest-first.
 */
export async function verifySessionFile(
  decoded: DecodedSession,
  bytes: Uint8Array,
  verifier: SessionVerifier,
): Promise<Result<LoadedSession>> {
  const id = decoded.session.id;
  let loaded: Result<LoadedSession>;
  if (isJidoCodeSignature(decoded.signature)) {
    loaded = await verifyJidoCode(decoded, bytes, verifier);
  } else {
    // Awaited only for an `unknown_key`: every load passes here.
    const first = verifyDecoded(decoded, verifier.verify);
    const verification =
      first.ok && first.value.status === 'unknown_key' ? await verifyAfterReload(decoded, verifier) : first;
    if (!verification.ok) return verification;
    if (verification.value.status === 'unsigned') {
      const renamed = renamedSignature(decoded);
      if (renamed !== undefined || (await verifier.ledger.wasSigned(id))) {
        return err(
          tampered(
            'The session file has lost the signature it was saved with, so it was refused as tampered.',
            { downgrade: true, ...(renamed === undefined ? {} : { renamedKey: renamed.slice(0, 40) }) },
          ),
        );
      }
    }
    loaded = applyVerification(decoded, verification.value, verifier.policy);
  }
  if (!loaded.ok) return loaded;
  if (loaded.value.signed) await verifier.ledger.record(id);
  if (!isNewestFirst(loaded.value.session.conversation)) return loaded;
  const order = oldestFirst(loaded.value.session.conversation);
  return ok({
    ...loaded.value,
    session: { ...loaded.value.session, conversation: order.messages },
    warnings: [...loaded.value.warnings, 'reordered'],
  });
}
