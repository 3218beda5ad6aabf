import { JidoError } from '@jido-code/core-schema';

/**
 * The outcome of {@link Keyring.verify}. Only `valid` means the payload is exactly what a key of
 * this ring signed; every other status is a refusal the caller maps with {@link verificationError}
 * (or, for `unsigned`, its configured legacy policy).
 */
export type VerifyResult =
  | { readonly status: 'valid'; readonly keyId: string }
  | { readonly status: 'unsigned' }
  | { readonly status: 'malformed' }
  | { readonly status: 'unknown_key'; readonly keyId: string }
  | { readonly status: 'bad_signature'; readonly keyId: string };

/**
 * Maps a non-valid {@link VerifyResult} to a {@link JidoError} with a user-safe message. The key id
 * goes in `details` only, never in the message.
 */
export function verificationError(result: Exclude<VerifyResult, { status: 'valid' }>): JidoError {
  switch (result.status) {
    case 'unsigned':
      return new JidoError('unsigned', 'The file is not signed.');
    case 'malformed':
      return new JidoError('signature_malformed', 'The file has a malformed signature and was refused.');
    case 'unknown_key':
      return new JidoError(
        'unknown_key',
        'The file was signed with a key this keyring does not hold (a retired key, or another machine).',
        { details: { keyId: result.keyId } },
      );
    case 'bad_signature':
      return new JidoError('signature_invalid', 'The file was changed after it was signed and was refused.', {
        details: { keyId: result.keyId },
      });
  }
}
