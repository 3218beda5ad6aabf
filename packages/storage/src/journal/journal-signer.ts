/**
 * Signs and verifies journal lines; storage passes one backed by the crypto keyring. Both methods
 * are synchronous because they run for every line on the append and read paths. `verify` returns
 * false for a malformed or foreign signature; it throws only when the signer itself is unusable.
 */
export interface JournalSigner {
  /** The signature of `payload` (the canonical JSON of a record's signed fields). */
  sign(payload: string): string;
  /** True when `signature` is a valid signature of `payload` under a key this signer trusts. */
  verify(payload: string, signature: string): boolean;
}
