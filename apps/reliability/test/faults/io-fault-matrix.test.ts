/**
 * Guarantee 1 (docs/architecture.md) (durable writes) and the I/O-fault half of guarantee 5, the SQLite way: each operation
 * is run once through a recording FileSystem to learn its sequence of calls; then, for every call N
 * of that sequence × every errno × {once, persistent}, it is re-run on a fresh byte-identical copy of
 * the home with call N failing (and for every `write`, a short write). After each run:
 * - the result is a typed JidoError, never a throw (keyring and rate-limit reject with a JidoError,
 *   as documented);
 * - the previous file is byte-identical (or, for a failure after the rename, the complete new file);
 * - no temp file is left behind;
 * - a failed fsync/fdatasync is never called again in that operation;
 * - once the fault clears, the next operation succeeds and nothing acknowledged is lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JidoError, type Session, unwrap } from '@jido-code/core-schema';
import { parseKeyringDocument } from '@jido-code/crypto/schemas';
import {
  decodeRateLimitState,
  defaultRateLimitRules,
  documentRateLimitStore,
  RateLimiter,
} from '@jido-code/rate-limit';
import type { SessionJournal, SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultHarness,
  type FaultMode,
  faultCodes,
  fsyncRetries,
  type RecordedCall,
} from '../support/fault-fs.js';
import { reportFigure } from '../support/figures.js';
import { MessageAudit } from '../support/messages.js';
import {
  makePrivateHome,
  namesIn,
  openSuiteStore,
  removePrivateHome,
  restoreTree,
  snapshotTree,
  type TreeSnapshot,
} from '../support/private-home.js';
import { listTempFiles } from '../support/temp-files.js';

type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; error: unknown }
  | { kind: 'threw'; error: unknown };

interface Operation<State> {
  readonly name: string;
  /** The file the operation may replace (relative to the home), compared byte for byte. */
  readonly file?: string;
  /** Whether the documented form of failure is a rejection (keyring, rate-limit) rather than a Result. */
  readonly rejects: boolean;
  /** A valid complete new file, when its bytes are not reproducible (fresh random keys, clock times). */
  readonly validNew?: (bytes: Buffer, before: Buffer | undefined) => boolean;
  /** The journal documents every failed append as `io_error`, whatever the errno. */
  readonly allIoErrors?: boolean;
  template(home: string): Promise<void>;
  setup(home: string, harness: FaultHarness): Promise<State>;
  act(state: State): Promise<Outcome>;
  /** After healing: the next operation succeeds and what was acknowledged is there. */
  healed(home: string, state: State, outcome: Outcome): Promise<void>;
}

const audit = new MessageAudit();
const factory = new SessionFactory({ seed: 4242 });
const baseSession = factory.session({ name: 'Fault base', messageCount: 3 }) as Session;
const id = baseSession.id;
const nextSession: Session = {
  ...baseSession,
  name: 'Fault next',
  conversation: [...baseSession.conversation, factory.message({ content: 'the newer state' })],
};

const asResult = async (run: () => Promise<{ ok: boolean; value?: unknown; error?: unknown }>) => {
  try {
    const result = await run();
    return result.ok
      ? ({ kind: 'ok', value: result.value } as Outcome)
      : ({ kind: 'error', error: result.error } as Outcome);
  } catch (error) {
    return { kind: 'threw', error } as Outcome;
  }
};

const asPromise = async (run: () => Promise<unknown>): Promise<Outcome> => {
  try {
    return { kind: 'ok', value: await run() };
  } catch (error) {
    return { kind: 'error', error };
  }
};

async function seedSession(home: string): Promise<void> {
  const store = await openSuiteStore(home);
  const saved = await store.save(baseSession);
  if (!saved.ok) throw saved.error;
}

/** A store whose every file-system call goes through the harness, its keyring already loaded. */
async function openFaultedStore(home: string, harness: FaultHarness): Promise<{ store: SessionStore }> {
  const store = await openSuiteStore(home, { fs: harness.fs });
  unwrap(await store.keyring());
  return { store };
}

const saveOperation: Operation<{ store: SessionStore }> = {
  name: 'save of an existing session',
  file: `sessions/${id}.json`,
  rejects: false,
  template: seedSession,
  setup: openFaultedStore,
  act: ({ store }) => asResult(() => store.save(nextSession)),
  async healed(home, { store }) {
    const third = { ...nextSession, name: 'Fault healed' };
    const saved = await store.save(third);
    if (!saved.ok) audit.record(saved.error);
    expect(saved.ok, saved.ok ? '' : `${saved.error.code}: ${saved.error.message}`).toBe(true);
    const fresh = await openSuiteStore(home);
    const loaded = await fresh.load(id);
    expect(loaded.ok && loaded.value.session.name).toBe('Fault healed');
  },
};

const loadOperation: Operation<{ store: SessionStore }> = {
  name: 'load',
  file: `sessions/${id}.json`,
  rejects: false,
  template: seedSession,
  setup: openFaultedStore,
  act: ({ store }) =>
    asResult(async () => {
      const loaded = await store.load(id);
      if (loaded.ok) expect(loaded.value.session.name).toBe(baseSession.name);
      return loaded;
    }),
  async healed(_home, { store }) {
    const loaded = await store.load(id);
    expect(loaded.ok && loaded.value.session.name).toBe(baseSession.name);
  },
};

const journalOperation: Operation<{ store: SessionStore; writer: SessionJournal }> = {
  name: 'journal append',
  rejects: false,
  allIoErrors: true,
  template: seedSession,
  async setup(home, harness) {
    const store = await openSuiteStore(home, { fs: harness.fs });
    const journals = unwrap(await store.journals());
    const opened = await journals.open(id);
    if (!opened.ok) throw opened.error;
    const first = await opened.value.append('message', { n: 1 });
    if (!first.ok) throw first.error;
    return { store, writer: opened.value };
  },
  act: ({ writer }) => asResult(() => writer.append('message', { n: 2 })),
  async healed(_home, { store, writer }, outcome) {
    await writer.close();
    const journals = unwrap(await store.journals());
    const read = await journals.read(id);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const numbers = read.value.records.map((record) => (record.data as { n: number }).n);
    // Acknowledged records are all there; an unacknowledged one may be (its line reached the file).
    expect(numbers[0]).toBe(1);
    if (outcome.kind === 'ok') expect(numbers).toEqual([1, 2]);
    else expect([[1], [1, 2]]).toContainEqual(numbers);
    const reopened = await journals.open(id);
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    const third = await reopened.value.append('message', { n: 3 });
    expect(third.ok).toBe(true);
    await reopened.value.close();
    const after = await journals.read(id);
    expect(after.ok && after.value.records.at(-1)?.data).toEqual({ n: 3 });
  },
};

const keyringOperation: Operation<{ store: SessionStore }> = {
  name: 'keyring creation',
  file: 'keys/keyring.json',
  rejects: true,
  validNew: (bytes) => {
    const parsed = parseKeyringDocument(bytes);
    return parsed.ok && parsed.value.keys.length === 1;
  },
  async template(home) {
    await openSuiteStore(home);
  },
  async setup(home, harness) {
    return { store: await openSuiteStore(home, { fs: harness.fs }) };
  },
  act: ({ store }) => asPromise(async () => unwrap(await store.keyring()).signingKeyId),
  async healed(home, { store }, outcome) {
    const keyring = unwrap(await store.keyring());
    if (outcome.kind === 'ok') expect(keyring.signingKeyId).toBe(outcome.value);
    const signature = keyring.sign('durable key');
    const fresh = await openSuiteStore(home);
    // The key that signs is the one on disk: a signature made now verifies in a new process.
    expect(unwrap(await fresh.keyring()).verify('durable key', signature).status).toBe('valid');
    // Taking the keyring lock again works (a lock left by a failed release does not block it).
    const rotated = await store.rotateKey();
    expect(rotated.ok ? 'ok' : rotated.error.code).toBe('ok');
  },
};

const limiterFor = (store: SessionStore) =>
  new RateLimiter({
    store: documentRateLimitStore(unwrap(store.rateLimitDocument())),
    rules: defaultRateLimitRules,
  });

const rateLimitOperation: Operation<{ store: SessionStore }> = {
  name: 'rate-limit consume',
  file: 'state/rate-limit.json',
  rejects: true,
  validNew: (bytes, before) => decodeRateLimitState(bytes).ok && !bytes.equals(before ?? Buffer.alloc(0)),
  async template(home) {
    const store = await openSuiteStore(home);
    await limiterFor(store).consume('resume', id);
  },
  async setup(home, harness) {
    return { store: await openSuiteStore(home, { fs: harness.fs }) };
  },
  act: ({ store }) => asPromise(() => limiterFor(store).consume('resume', id)),
  async healed(home, { store }, outcome) {
    const decision = await limiterFor(store).consume('resume', id);
    expect(decision.allowed).toBe(true);
    const check = await limiterFor(await openSuiteStore(home)).check('resume', id);
    const limit = 5;
    // 1 attempt in the template + the faulted one (if it resolved; maybe if it failed after the rename) + 1 now.
    // `check` reports what would remain after one more attempt.
    const recorded = limit - 1 - check.remaining;
    if (outcome.kind === 'ok') expect(recorded).toBe(3);
    else expect([2, 3]).toContain(recorded);
  },
};

/**
 * After a fault during a move to the trash or a restore, the session is in exactly one place, live
 * or trashed, whole and verified; a fresh listing repairs any record left behind; and once healed,
 * moving it back and forth works and loses no message.
 */
async function inExactlyOnePlace(home: string): Promise<'live' | 'trashed'> {
  const fresh = await openSuiteStore(home);
  const live = await fresh.load(id);
  const trash = await fresh.listTrash();
  expect(trash.ok && trash.value.problems, 'the trash lists no problem after repair').toEqual([]);
  const entries = trash.ok ? trash.value.entries.filter((entry) => entry.id === id) : [];
  expect((live.ok ? 1 : 0) + entries.length, 'live or trashed, never both, never lost').toBe(1);
  const [entry] = entries;
  const loaded = entry === undefined ? live : await fresh.loadTrashed(entry);
  expect(loaded.ok && loaded.value.signed && loaded.value.session.conversation).toEqual(
    baseSession.conversation,
  );
  return live.ok ? 'live' : 'trashed';
}

async function backAndForth(store: SessionStore, where: 'live' | 'trashed'): Promise<void> {
  if (where === 'live') {
    const moved = await store.trash(id);
    expect(moved.ok ? moved.value : moved.error.code).toEqual({ trashed: true });
  }
  const listing = await store.listTrash();
  const [entry] = listing.ok ? listing.value.entries : [];
  const restored = await store.restoreFromTrash(entry?.entry ?? '');
  expect(restored.ok ? restored.value.id : restored.error.code).toBe(id);
  const loaded = await store.load(id);
  expect(loaded.ok && loaded.value.session.conversation).toEqual(baseSession.conversation);
}

const trashOperation: Operation<{ store: SessionStore }> = {
  name: 'move to the trash',
  rejects: false,
  template: seedSession,
  setup: openFaultedStore,
  act: ({ store }) => asResult(() => store.trash(id, 'cleanup:age')),
  async healed(home, { store }, outcome) {
    const where = await inExactlyOnePlace(home);
    if (outcome.kind === 'ok') expect(where).toBe('trashed');
    await backAndForth(store, where);
  },
};

const restoreOperation: Operation<{ store: SessionStore; entry: string }> = {
  name: 'restore from the trash',
  rejects: false,
  async template(home) {
    await seedSession(home);
    const store = await openSuiteStore(home);
    const moved = await store.trash(id);
    if (!moved.ok) throw moved.error;
  },
  async setup(home, harness) {
    const { store } = await openFaultedStore(home, harness);
    const listing = await store.listTrash();
    if (!listing.ok) throw listing.error;
    return { store, entry: listing.value.entries[0]?.entry ?? '' };
  },
  act: ({ store, entry }) => asResult(() => store.restoreFromTrash(entry)),
  async healed(home, { store }, outcome) {
    const where = await inExactlyOnePlace(home);
    if (outcome.kind === 'ok') expect(where).toBe('live');
    await backAndForth(store, where);
  },
};

/** Each operation's state type is its own; the runner only passes it back. */
const operations = [
  saveOperation,
  loadOperation,
  journalOperation,
  keyringOperation,
  rateLimitOperation,
  trashOperation,
  restoreOperation,
] as unknown as Operation<unknown>[];

interface Totals {
  sites: number;
  cases: number;
  typedErrors: number;
  succeeded: number;
  newFileAfterRename: number;
  orphanedLocks: number;
}

const totals = new Map<string, Totals>();
const failures: string[] = [];
let root: string;

beforeAll(() => {
  root = makePrivateHome('jido-rel-faults-');
});

afterAll(() => {
  removePrivateHome(root);
  const all = { sites: 0, cases: 0, typedErrors: 0, succeeded: 0, orphanedLocks: 0 };
  for (const [name, value] of totals) {
    reportFigure(`faults ${name}`, value);
    all.sites += value.sites;
    all.cases += value.cases;
    all.typedErrors += value.typedErrors;
    all.succeeded += value.succeeded;
    all.orphanedLocks += value.orphanedLocks;
  }
  reportFigure('faults total', all);
  reportFigure('faults audit', audit.stats);
});

let caseNumber = 0;

async function runCase<State>(
  operation: Operation<State>,
  template: TreeSnapshot,
  fault: { call: RecordedCall; code: string; mode: FaultMode; shortWrite: boolean } | undefined,
): Promise<{ outcome: Outcome; calls: RecordedCall[]; home: string; before?: Buffer; state: State }> {
  caseNumber += 1;
  const home = join(root, `case-${caseNumber}`);
  restoreTree(template, home);
  const harness = new FaultHarness(home);
  const state = await operation.setup(home, harness);
  const file = operation.file === undefined ? undefined : join(home, operation.file);
  let before: Buffer | undefined;
  try {
    before = file === undefined ? undefined : readFileSync(file);
  } catch {
    before = undefined;
  }
  if (fault) harness.arm(fault.call.method, fault.call.methodCall, fault.code, fault.mode, fault.shortWrite);
  harness.start();
  const outcome = await operation.act(state);
  const calls = harness.stop();
  harness.heal();
  return { outcome, calls, home, ...(before === undefined ? {} : { before }), state };
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

describe.each(operations)('I/O faults: $name', (operation) => {
  let template: TreeSnapshot;
  let recorded: RecordedCall[];
  let newBytes: Buffer | undefined;

  beforeAll(async () => {
    const seed = makePrivateHome('jido-rel-template-');
    await operation.template(seed);
    template = snapshotTree(seed);
    removePrivateHome(seed);
    const reference = await runCase(operation, template, undefined);
    expect(reference.outcome.kind).toBe('ok');
    recorded = reference.calls;
    newBytes =
      operation.file === undefined ? undefined : readOrUndefined(join(reference.home, operation.file));
    removePrivateHome(reference.home);
  });

  it('fails every call site with every errno, once and persistently, and recovers', async () => {
    const stats: Totals = {
      sites: recorded.length,
      cases: 0,
      typedErrors: 0,
      succeeded: 0,
      newFileAfterRename: 0,
      orphanedLocks: 0,
    };
    const renameIndex = recorded.findIndex(
      (call) =>
        call.method === 'rename' &&
        operation.file !== undefined &&
        call.site.endsWith(`-> ${operation.file.replace(id, '<id>')})`),
    );
    const plans: { call: RecordedCall; code: string; mode: FaultMode; shortWrite: boolean }[] = [];
    for (const call of recorded) {
      for (const mode of ['once', 'persistent'] as const) {
        for (const code of Object.keys(faultCodes)) plans.push({ call, code, mode, shortWrite: false });
        if (call.method === 'write') plans.push({ call, code: 'EIO', mode, shortWrite: true });
      }
    }
    for (const plan of plans) {
      const label = `${operation.name} | #${plan.call.index} ${plan.call.site} | ${plan.shortWrite ? 'short write' : plan.code} | ${plan.mode}`;
      const run = await runCase(operation, template, plan);
      stats.cases += 1;
      try {
        const { outcome } = run;
        // Never a throw from a Result API; rejections only where documented, and always typed.
        if (outcome.kind === 'threw') throw new Error(`threw ${String(outcome.error)}`);
        if (outcome.kind === 'error') {
          audit.record(outcome.error);
          expect(outcome.error).toBeInstanceOf(JidoError);
          const code = (outcome.error as JidoError).code;
          const expected =
            plan.shortWrite || operation.allIoErrors
              ? 'io_error'
              : faultCodes[plan.code as keyof typeof faultCodes];
          expect(code, `code for ${label}`).toBe(expected);
          stats.typedErrors += 1;
        } else {
          stats.succeeded += 1;
        }
        if (operation.file !== undefined) {
          const after = readOrUndefined(join(run.home, operation.file));
          const unchanged = run.before === undefined ? after === undefined : after?.equals(run.before);
          const isNew =
            after !== undefined &&
            (operation.validNew
              ? operation.validNew(after, run.before)
              : newBytes !== undefined && after.equals(newBytes));
          if (operation.name === 'load') expect(unchanged, 'load never changes the file').toBe(true);
          else if (outcome.kind === 'ok') expect(isNew, 'a resolved write left the new file').toBe(true);
          else if (!unchanged) {
            // Only a failure after the rename may leave the (complete) new file in place.
            expect(isNew, 'a failed write left the previous file or the complete new one').toBe(true);
            expect(renameIndex >= 0 && plan.call.index > renameIndex, 'new file only after the rename').toBe(
              true,
            );
            stats.newFileAfterRename += 1;
          }
        }
        expect(listTempFiles(run.home), 'no temp file left').toEqual([]);
        expect(fsyncRetries(run.calls), 'a failed fsync is never retried').toEqual([]);
        // A lock file whose release failed may stay on disk, but it must not block: the healed
        // next operation takes it over (its nonce is no longer held here) and leaves no lock behind.
        if (namesIn(join(run.home, 'locks')).length > 0) stats.orphanedLocks += 1;
        await operation.healed(run.home, run.state, outcome);
        expect(namesIn(join(run.home, 'locks')), 'no lock left after healing').toEqual([]);
      } catch (error) {
        failures.push(`${label}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      } finally {
        removePrivateHome(run.home);
      }
    }
    totals.set(operation.name, stats);
    const recordedSites = recorded.map((call) => `${call.index}:${call.site}`);
    console.log(`${operation.name}: ${recorded.length} calls\n  ${recordedSites.join('\n  ')}`);
    const mine = failures.filter((failure) => failure.startsWith(operation.name));
    if (mine.length > 0) console.log(`FAILURES ${operation.name}\n${mine.join('\n')}`);
    expect(mine, mine.slice(0, 20).join('\n')).toEqual([]);
  }, 600_000);
});

it('never puts a path, key id or MAC in a user-facing message', () => {
  expect(audit.violations()).toEqual([]);
});
