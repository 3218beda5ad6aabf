import type { LockedDocument } from '@jido-code/rate-limit';
import type { TrashReason } from './trash-runner.js';

/**
 * One kind of automatic removal since the shell last started: sessions moved to the trash (by
 * cleanup or the count limit) or trash entries aged out for good (`trash-retention`).
 */
export interface RemovalNotice {
  readonly reason: TrashReason | 'trash-retention';
  readonly count: number;
  /** The age rule in days (cleanup by age, trash retention), when there was one. */
  readonly days?: number | undefined;
}

/** The state document removal notices are kept in until the next shell start shows them. */
export const removalNoticesDocument = 'removal-notices';

/** The state document recording when the trash was last aged. */
export const trashAgeingDocument = 'trash-ageing';

const maxNotices = 64;

function parseNotices(bytes: Uint8Array | undefined): RemovalNotice[] {
  if (bytes === undefined) return [];
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(value)) return [];
    return value.filter(
      (notice): notice is RemovalNotice =>
        typeof notice === 'object' &&
        notice !== null &&
        typeof notice.reason === 'string' &&
        Number.isInteger(notice.count) &&
        notice.count > 0,
    );
  } catch {
    // A damaged notices file only loses the notices: the removals themselves are in the trash.
    return [];
  }
}

/** Adds `notice` to the pending ones, merged with one of the same reason and rule. */
export function recordRemovalNotice(document: LockedDocument, notice: RemovalNotice): Promise<void> {
  if (notice.count <= 0) return Promise.resolve();
  return document.update((current) => {
    const notices = parseNotices(current);
    const same = notices.findIndex((other) => other.reason === notice.reason && other.days === notice.days);
    if (same >= 0) {
      const merged = notices[same] as RemovalNotice;
      notices[same] = { ...merged, count: merged.count + notice.count };
    } else if (notices.length < maxNotices) {
      notices.push(notice);
    }
    return { next: new TextEncoder().encode(JSON.stringify(notices)), result: undefined };
  });
}

/** The pending notices, cleared as they are taken. */
export function takeRemovalNotices(document: LockedDocument): Promise<RemovalNotice[]> {
  return document.update((current) => {
    const notices = parseNotices(current);
    if (notices.length === 0) return { result: notices };
    return { next: new TextEncoder().encode('[]'), result: notices };
  });
}

/**
 * True (and the time recorded) when the trash was not aged within the last day: automatic ageing
 * runs at most once a day, however often the shell starts.
 */
export function claimDailyAgeing(document: LockedDocument, now: Date): Promise<boolean> {
  return document.update((current) => {
    let last = Number.NaN;
    try {
      last = Date.parse(JSON.parse(new TextDecoder().decode(current ?? new Uint8Array())).aged_at);
    } catch {
      last = Number.NaN;
    }
    // A clock set back (last in the future) does not block ageing for the difference.
    const due = !(now.getTime() - last < 86_400_000 && last <= now.getTime());
    if (!due) return { result: false };
    return { next: new TextEncoder().encode(JSON.stringify({ aged_at: now.toISOString() })), result: true };
  });
}
