import type { Decision } from './decision.js';
import type { OperationRule } from './rules.js';
import { appendHit, evaluateWindow, type WindowEvaluation } from './sliding-window.js';
import {
  type KeyLog,
  type OperationState,
  operationStateOf,
  type RateLimitState,
  withOperationState,
} from './state.js';

const noHits: readonly number[] = [];

interface Evaluation {
  readonly recorded: OperationState | undefined;
  readonly keyIndex: number;
  readonly perKey: WindowEvaluation;
  readonly global: WindowEvaluation | undefined;
}

function evaluate(
  state: RateLimitState,
  operation: string,
  key: string,
  rule: OperationRule,
  now: number,
): Evaluation {
  const recorded = operationStateOf(state, operation);
  const keyIndex = recorded === undefined ? -1 : recorded.keys.findIndex((entry) => entry.key === key);
  const keyHits = keyIndex < 0 ? noHits : (recorded?.keys[keyIndex]?.hits ?? noHits);
  return {
    recorded,
    keyIndex,
    perKey: evaluateWindow(keyHits, rule.perKey, now),
    global:
      rule.global === undefined ? undefined : evaluateWindow(recorded?.global ?? noHits, rule.global, now),
  };
}

function decisionOf({ perKey, global }: Evaluation): Decision {
  const keyFull = perKey.free === 0;
  const globalFull = global !== undefined && global.free === 0;
  if (!keyFull && !globalFull) {
    return {
      allowed: true,
      retryAfterMs: 0,
      remaining: Math.min(perKey.free, global?.free ?? perKey.free) - 1,
    };
  }
  const keyWait = keyFull ? perKey.retryAfterMs : 0;
  const globalWait = globalFull ? global.retryAfterMs : 0;
  return globalWait > keyWait
    ? { allowed: false, retryAfterMs: globalWait, remaining: 0, scope: 'global' }
    : { allowed: false, retryAfterMs: keyWait, remaining: 0, scope: 'key' };
}

/**
 * `state` with one attempt on `key` at `now` recorded, given its evaluation. Keys idle for a whole
 * window are a prefix of the last-hit order and are dropped here; the scan stops at the first key
 * still live, so expiry work is proportional to what expires. The touched key moves to the end.
 */
function recordEvaluated(
  state: RateLimitState,
  operation: string,
  key: string,
  rule: OperationRule,
  now: number,
  { recorded, keyIndex, perKey, global }: Evaluation,
): RateLimitState {
  const keys = recorded?.keys ?? [];
  let firstLive = 0;
  while (
    firstLive < keys.length &&
    now - ((keys[firstLive] as KeyLog).hits.at(-1) as number) >= rule.perKey.windowMs
  ) {
    firstLive += 1;
  }
  const nextKeys =
    keyIndex < firstLive
      ? keys.slice(firstLive)
      : [...keys.slice(firstLive, keyIndex), ...keys.slice(keyIndex + 1)];
  nextKeys.push({ key, hits: appendHit(perKey.live, rule.perKey, now) });
  const nextGlobal =
    rule.global === undefined || global === undefined ? noHits : appendHit(global.live, rule.global, now);
  return withOperationState(state, operation, { global: nextGlobal, keys: nextKeys });
}

/**
 * Pure check: the decision {@link decideConsume} would make at `now`, without recording anything.
 * `operation` and `key` are expected to be valid (the {@link RateLimiter} checks them).
 */
export function decideCheck(
  state: RateLimitState,
  operation: string,
  key: string,
  rule: OperationRule,
  now: number,
): Decision {
  return decisionOf(evaluate(state, operation, key, rule, now));
}

/**
 * Pure sliding-window decision: allows the attempt when it fits the per-key window and, if the rule
 * has one, the global window, and then records it in both. A refusal records nothing and returns
 * `state` itself, so a store can skip writing. Never mutates `state`. Cost: O(limit) for the logs,
 * O(expired) to drop idle keys, plus copying the operation's key list (references only).
 */
export function decideConsume(
  state: RateLimitState,
  operation: string,
  key: string,
  rule: OperationRule,
  now: number,
): { decision: Decision; next: RateLimitState } {
  const evaluation = evaluate(state, operation, key, rule, now);
  const decision = decisionOf(evaluation);
  if (!decision.allowed) return { decision, next: state };
  return { decision, next: recordEvaluated(state, operation, key, rule, now, evaluation) };
}

/**
 * Pure: `state` with an attempt on `key` at `now` recorded whether or not it fits (for callers that
 * count, say, failures after the fact). Logs stay bounded: only the newest `limit` hits are kept.
 */
export function recordAttempt(
  state: RateLimitState,
  operation: string,
  key: string,
  rule: OperationRule,
  now: number,
): RateLimitState {
  return recordEvaluated(state, operation, key, rule, now, evaluate(state, operation, key, rule, now));
}

/**
 * Pure: `state` without the attempts of `key` (its global hits stay, so resetting one key cannot
 * lift the global limit), or without anything of `operation` when `key` is omitted.
 */
export function resetAttempts(state: RateLimitState, operation: string, key?: string): RateLimitState {
  const recorded = operationStateOf(state, operation);
  if (recorded === undefined) return state;
  if (key === undefined) return withOperationState(state, operation, undefined);
  const keys = recorded.keys.filter((entry) => entry.key !== key);
  if (keys.length === recorded.keys.length) return state;
  return withOperationState(state, operation, { global: recorded.global, keys });
}
