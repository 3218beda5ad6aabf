import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { ListingProblem, SessionListing, SessionMetadata } from '@jido-code/session';
import { minimumPrefixLength, resolveTarget, type TargetRules } from './resolve-target.js';

/** A saved-session file that failed to load, with the id its name carries. */
export type UnreadableSession = ListingProblem & { readonly id: string };

/** What a target names in a listing: a session, or a file that failed to load. */
export type ListedTarget =
  | { readonly kind: 'session'; readonly entry: SessionMetadata }
  | { readonly kind: 'problem'; readonly problem: UnreadableSession };

/**
 * Resolves a target over a whole listing, so that no file in the sessions folder is out of reach:
 * the sessions by {@link resolveTarget}'s rules (number, id, prefix, name); when none matches, the
 * files that failed to load (tampered, damaged, unknown key) by full id or unique id prefix of at
 * least {@link minimumPrefixLength} characters. Such a file has no trusted name or number.
 */
export function resolveListed(
  target: string,
  listing: Pick<SessionListing, 'sessions' | 'problems'>,
  rules: TargetRules = {},
): Result<ListedTarget> {
  const resolved = resolveTarget(target, listing.sessions, rules);
  if (resolved.ok) return ok({ kind: 'session', entry: resolved.value.entry });
  if (resolved.error.code !== 'not_found' && resolved.error.code !== 'target_out_of_range') return resolved;
  const wanted = target.trim().toLowerCase();
  if (Array.from(wanted).length < minimumPrefixLength) return resolved;
  const unreadable = listing.problems.filter(
    (problem): problem is UnreadableSession =>
      problem.id !== undefined && problem.id.toLowerCase().startsWith(wanted),
  );
  const exact = unreadable.find((problem) => problem.id.toLowerCase() === wanted);
  const [only] = unreadable;
  if (exact !== undefined) return ok({ kind: 'problem', problem: exact });
  if (unreadable.length === 1 && only !== undefined) return ok({ kind: 'problem', problem: only });
  if (unreadable.length > 1) {
    const candidates = unreadable.map((problem, index) => ({
      id: problem.id,
      name: '(unreadable)',
      position: listing.sessions.length + index + 1,
    }));
    return err(
      new JidoError('ambiguous_target', 'The prefix matches several unreadable session files.', {
        details: { target: target.trim(), candidates },
      }),
    );
  }
  return resolved;
}
