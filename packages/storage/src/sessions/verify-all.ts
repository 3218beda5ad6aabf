import { err, type Result } from '@jido-code/core-schema';
import type { SessionBackend } from '../backend/session-backend.js';
import type { ListingProblem, VerifyOptions, VerifyReport } from '../store-types.js';
import { failure } from './retention-runner.js';
import type { LoadedSession } from './session-codec.js';

/** Loads every stored session in full (bypassing any index) and sorts them into valid, unsigned and failed. */
export async function verifyEvery(
  backend: SessionBackend,
  load: (id: string) => Promise<Result<LoadedSession>>,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const report = {
    checked: 0,
    valid: [] as string[],
    unsigned: [] as string[],
    jidocode: [] as string[],
    failed: [] as ListingProblem[],
  };
  const entries = await backend.entries();
  options.onStart?.(entries.length);
  for (const { file, id } of entries) {
    report.checked += 1;
    const loaded = await load(id).catch((error: unknown) => err(failure(error, 'verify the session')));
    if (!loaded.ok) report.failed.push({ file, id, error: loaded.error });
    else (loaded.value.signed ? report.valid : report.unsigned).push(id);
    if (loaded.ok && loaded.value.signer === 'jidocode') report.jidocode.push(id);
    options.onProgress?.(report.checked, entries.length);
  }
  return report;
}
