import { randomBytes } from 'node:crypto';
import { JidoError, type Logger, type Result, silentLogger } from '@jido-code/core-schema';
import {
  checkKeyringDocument,
  type KeyringDocument,
  type KeyringKey,
  keyringDocumentVersion,
  maxKeyringKeys,
  serializeKeyringDocument,
} from './keyring-document.js';
import type { KeyringPersistence } from './persistence.js';
import {
  computeMac,
  computeSignature,
  decodeCanonicalBase64url,
  decodeSignature,
  isSignedPayload,
  macsEqual,
  type SignedPayload,
  secretLength,
} from './signature.js';
import type { VerifyResult } from './verify-result.js';

/** Public facts about one key of the ring; never its secret. */
export interface KeyInfo {
  /** The key id carried in signatures. */
  readonly keyId: string;
  /** When the key was created (ISO 8601). */
  readonly createdAt: string;
  /** When the key was retired (ISO 8601); absent for an active key. */
  readonly retiredAt?: string;
  /** True for the one key that signs new payloads. */
  readonly signing: boolean;
}

/** Options for {@link Keyring.open}. */
export interface KeyringOptions {
  /** Clock for `created_at` and `retired_at`; defaults to the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Receives debug facts (key ids, never secrets); defaults to {@link silentLogger}. */
  readonly logger?: Logger | undefined;
}

/** The decoded, immutable view of one document that sign and verify read without any I/O. */
interface KeyringState {
  readonly document: KeyringDocument;
  /** Secrets of the active keys by key id; retired keys have none. */
  readonly secrets: ReadonlyMap<string, Buffer>;
  readonly signingKeyId: string;
  readonly signingSecret: Buffer;
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

function stateFrom(document: KeyringDocument): KeyringState {
  const secrets = new Map<string, Buffer>();
  let signingKeyId: string | undefined;
  for (const key of document.keys) {
    if (key.retired_at !== undefined || key.secret === undefined) continue;
    const secret = decodeCanonicalBase64url(key.secret, secretLength);
    // The schema has already checked every secret; this guards the invariant, not the input.
    if (secret === undefined) throw new JidoError('keyring_corrupt', 'The signing keyring is corrupt.');
    secrets.set(key.kid, secret);
    signingKeyId = key.kid;
  }
  const signingSecret = signingKeyId === undefined ? undefined : secrets.get(signingKeyId);
  if (signingKeyId === undefined || signingSecret === undefined) {
    throw new JidoError('keyring_corrupt', 'The signing keyring has no active key.');
  }
  return { document, secrets, signingKeyId, signingSecret };
}

/** A fresh key: 256 bits from the OS CSPRNG and a random id not yet used in the ring. */
function generateKey(usedKeyIds: ReadonlySet<string>, createdAt: Date): KeyringKey {
  let kid = randomBytes(4).toString('hex');
  while (usedKeyIds.has(kid)) kid = randomBytes(4).toString('hex');
  return {
    kid,
    secret: randomBytes(secretLength).toString('base64url'),
    created_at: createdAt.toISOString(),
  };
}

function toKeyInfo(key: KeyringKey, signingKeyId: string): KeyInfo {
  return Object.freeze({
    keyId: key.kid,
    createdAt: key.created_at,
    ...(key.retired_at === undefined ? {} : { retiredAt: key.retired_at }),
    signing: key.kid === signingKeyId,
  });
}

/**
 * A ring of HMAC-SHA256 keys. The newest active key signs; every active key verifies. The
 * document is read once by {@link Keyring.open} and kept decoded in memory, so `sign` and `verify`
 * are synchronous and do no I/O and no key derivation; open one instance per process and keep it.
 * Changes (`rotate`, `retire`) re-read the document under the persistence lock before writing, so
 * concurrent processes never lose each other's keys.
 */
export class Keyring {
  readonly #persistence: KeyringPersistence;
  readonly #now: () => Date;
  readonly #logger: Logger;
  #state: KeyringState;

  private constructor(persistence: KeyringPersistence, state: KeyringState, now: () => Date, logger: Logger) {
    this.#persistence = persistence;
    this.#state = state;
    this.#now = now;
    this.#logger = logger;
  }

  /**
   * Loads the keyring; when there is none, creates one under `persistence.withLock`, re-reading
   * after taking the lock so that racing first uses end with one key. Throws
   * `JidoError('keyring_corrupt')` for a bad document; a corrupt keyring is never replaced.
   */
  static async open(persistence: KeyringPersistence, options: KeyringOptions = {}): Promise<Keyring> {
    const now = options.now ?? (() => new Date());
    const logger = options.logger ?? silentLogger;
    const existing = await persistence.load();
    const document =
      existing !== undefined
        ? unwrap(await checkKeyringDocument(existing))
        : await persistence.withLock(async () => {
            const underLock = await persistence.load();
            if (underLock !== undefined) {
              logger.debug('Another process created the keyring first; using it.');
              return unwrap(await checkKeyringDocument(underLock));
            }
            const created: KeyringDocument = {
              format: 'jido-keyring',
              version: keyringDocumentVersion,
              keys: [generateKey(new Set(), now())],
            };
            await persistence.save(serializeKeyringDocument(created));
            logger.debug('Created a new keyring.', { keyId: created.keys[0]?.kid });
            return created;
          });
    return new Keyring(persistence, stateFrom(document), now, logger);
  }

  /** Id of the key that signs new payloads: the newest active key. */
  get signingKeyId(): string {
    return this.#state.signingKeyId;
  }

  /**
   * Signs `payload` (a string is taken as UTF-8, parts as their concatenation) with the signing key:
   * `v1:<kid>:<base64url MAC>`. Anything else (say a `Result` passed by mistake) throws
   * `JidoError('invalid_value')`.
   */
  sign(payload: SignedPayload): string {
    if (!isSignedPayload(payload))
      throw new JidoError('invalid_value', 'Only a string or bytes can be signed.', {
        details: { received: payload === null ? 'null' : typeof payload },
      });
    const { signingKeyId, signingSecret } = this.#state;
    return computeSignature(signingKeyId, signingSecret, payload);
  }

  /**
   * Checks `signature` over `payload` against every active key. `undefined` or `null` is
   * `unsigned`; anything that is not exactly a `v1` signature (an empty string included) is
   * `malformed`; a key id the ring does not hold (or holds only as retired) is `unknown_key`.
   */
  verify(payload: SignedPayload, signature: string | undefined | null): VerifyResult {
    if (signature === undefined || signature === null) return { status: 'unsigned' };
    if (typeof signature !== 'string') return { status: 'malformed' };
    const decoded = decodeSignature(signature);
    if (decoded === undefined) return { status: 'malformed' };
    const secret = this.#state.secrets.get(decoded.keyId);
    if (secret === undefined) return { status: 'unknown_key', keyId: decoded.keyId };
    return macsEqual(computeMac(secret, payload), decoded.mac)
      ? { status: 'valid', keyId: decoded.keyId }
      : { status: 'bad_signature', keyId: decoded.keyId };
  }

  /**
   * Under the lock: re-reads the document, appends a fresh key and saves. The new key signs from
   * now on; older keys keep verifying until retired.
   */
  async rotate(): Promise<KeyInfo> {
    return this.#persistence.withLock(async () => {
      const document = await this.#readLatest();
      if (document.keys.length >= maxKeyringKeys) {
        throw new JidoError(
          'invalid_value',
          'The keyring holds too many keys; retire and remove old keys first.',
          {
            details: { keys: document.keys.length, max: maxKeyringKeys },
          },
        );
      }
      const key = generateKey(new Set(document.keys.map((entry) => entry.kid)), this.#now());
      const next: KeyringDocument = { ...document, keys: [...document.keys, key] };
      await this.#persistence.save(serializeKeyringDocument(next));
      this.#state = stateFrom(next);
      this.#logger.debug('Rotated the signing key.', { keyId: key.kid });
      return toKeyInfo(key, this.#state.signingKeyId);
    });
  }

  /**
   * Under the lock: marks `keyId` retired and drops its secret, so files signed with it fail as
   * `unknown_key`. Retiring an already retired key does nothing. Throws `JidoError('unknown_key')`
   * for an id the ring never held, and `JidoError('invalid_value')` for the only active key (rotate
   * first). Retiring the signing key hands signing to the newest remaining active key.
   */
  async retire(keyId: string): Promise<void> {
    await this.#persistence.withLock(async () => {
      const document = await this.#readLatest();
      const target = document.keys.find((key) => key.kid === keyId);
      if (target === undefined) {
        throw new JidoError('unknown_key', 'There is no key with this id in the keyring.', {
          details: { keyId },
        });
      }
      if (target.retired_at !== undefined) {
        this.#state = stateFrom(document);
        return;
      }
      if (document.keys.filter((key) => key.retired_at === undefined).length === 1) {
        throw new JidoError('invalid_value', 'The only active key cannot be retired; rotate first.', {
          details: { keyId },
        });
      }
      const retiredAt = this.#now().toISOString();
      const next: KeyringDocument = {
        ...document,
        keys: document.keys.map((key) =>
          key.kid === keyId ? { kid: key.kid, created_at: key.created_at, retired_at: retiredAt } : key,
        ),
      };
      await this.#persistence.save(serializeKeyringDocument(next));
      this.#state = stateFrom(next);
      this.#logger.debug('Retired a key.', { keyId, signingKeyId: this.#state.signingKeyId });
    });
  }

  /**
   * Re-reads the document, for instance after an `unknown_key` result, since another process may
   * have rotated. On any failure the current keys stay in use and the error is thrown.
   */
  async reload(): Promise<void> {
    const document = await this.#readLatest();
    const previous = this.#state.signingKeyId;
    this.#state = stateFrom(document);
    if (this.#state.signingKeyId !== previous) {
      this.#logger.debug('Reloaded the keyring; the signing key changed.', {
        signingKeyId: this.#state.signingKeyId,
      });
    }
  }

  /** Every key of the ring, oldest first, retired ones included; secrets are never exposed. */
  keys(): readonly KeyInfo[] {
    const { document, signingKeyId } = this.#state;
    return Object.freeze(document.keys.map((key) => toKeyInfo(key, signingKeyId)));
  }

  /** Loads and parses the current document; a keyring that has disappeared since open is corrupt. */
  async #readLatest(): Promise<KeyringDocument> {
    const bytes = await this.#persistence.load();
    if (bytes === undefined) {
      throw new JidoError('keyring_corrupt', 'The signing keyring has disappeared since it was opened.', {
        details: { reason: 'missing' },
      });
    }
    return unwrap(await checkKeyringDocument(bytes));
  }
}
