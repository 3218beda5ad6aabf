import { JidoError } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { verificationError } from './verify-result.js';

describe('verificationError', () => {
  it('maps each refusal to its own error code', () => {
    expect(verificationError({ status: 'unsigned' }).code).toBe('unsigned');
    expect(verificationError({ status: 'malformed' }).code).toBe('signature_malformed');
    expect(verificationError({ status: 'unknown_key', keyId: 'deadbeef' }).code).toBe('unknown_key');
    expect(verificationError({ status: 'bad_signature', keyId: 'deadbeef' }).code).toBe('signature_invalid');
  });

  it('keeps the key id in details, out of the user-facing message', () => {
    for (const status of ['unknown_key', 'bad_signature'] as const) {
      const error = verificationError({ status, keyId: 'deadbeef' });
      expect(error).toBeInstanceOf(JidoError);
      expect(error.message).not.toContain('deadbeef');
      expect(error.details).toEqual({ keyId: 'deadbeef' });
    }
  });
});
