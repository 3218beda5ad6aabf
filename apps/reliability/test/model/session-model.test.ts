/**
 * Guarantees 2 and 3 under in-process races, model-based (fast-check `fc.commands` +
 * `fc.asyncModelRun`): create, add messages (alone or as a concurrent burst), save, save racing an
 * append, load, close, resume, update, cleanup(maxCount) and a simulated restart (the process
 * "dies": leases dropped, journals left; a new SessionStore + SessionManager on the same home runs
 * `recover()`). Every FileSystem call of the store resolves through `fc.scheduler`, so the order in
 * which concurrent I/O completes is chosen (and shrunk) by fast-check.
 *
 * The model: id → { live messages, what is on disk (a prefix of live, exact or a range when a save
 * raced an append), open or closed, name }. No run may diverge: every acknowledged message is in the
 * live session, on disk after a save or close, and back after a restart.
 * Default: 50 runs × up to 20 commands; JIDO_STRESS=long: 1,000 runs × up to 50.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAppConfig, unwrap } from '@jido-code/core-schema';
import { memoryRateLimitStore, RateLimiter, rateLimitRulesFromConfig } from '@jido-code/rate-limit';
import { type LiveSession, SessionManager } from '@jido-code/session';
import { type FileSystem, nodeFileSystem, type SessionJournal, type SessionStore } from '@jido-code/storage';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';
import { scaled } from '../support/stress.js';

const maxOpen = 3;
const projectCount = 4;

interface ModelSession {
  readonly project: number;
  live: string[];
  /** What is on disk is `live.slice(0, n)` for some n in [savedLo, savedHi]. */
  savedLo: number;
  savedHi: number;
  open: boolean;
  name?: string;
}

interface Model {
  readonly sessions: Map<string, ModelSession>;
  readonly order: string[];
}

interface Real {
  readonly home: string;
  readonly projects: string[];
  store: SessionStore;
  manager: SessionManager;
  readonly writers: SessionJournal[];
  readonly context: SchedulingContext;
  counter: number;
}

interface SchedulingContext {
  scheduler: fc.Scheduler | undefined;
}

const commandCounts = new Map<string, number>();
const count = (name: string) => commandCounts.set(name, (commandCounts.get(name) ?? 0) + 1);

/** The real file system with every call's completion released by the scheduler, when one is set. */
function scheduledFileSystem(context: SchedulingContext): FileSystem {
  return Object.fromEntries(
    Object.entries(nodeFileSystem).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        const result = (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        return context.scheduler ? context.scheduler.schedule(result, name) : result;
      },
    ]),
  ) as unknown as FileSystem;
}

async function openReal(
  real: Omit<Real, 'store' | 'manager'>,
): Promise<{ store: SessionStore; manager: SessionManager }> {
  const store = await openSuiteStore(real.home, {
    fs: scheduledFileSystem(real.context),
    config: { max_sessions: 1_000 },
  });
  const manager = new SessionManager({
    store,
    maxOpenSessions: maxOpen,
    rateLimiter: new RateLimiter({
      store: memoryRateLimitStore(),
      rules: rateLimitRulesFromConfig({
        ...defaultAppConfig,
        resume_limit_per_session: 10_000,
        resume_limit_global: 100_000,
      }),
    }),
  });
  // Keep every journal writer, so a simulated crash can drop its descriptor like a dying process.
  const journals = unwrap(await store.journals());
  const open = journals.open.bind(journals);
  journals.open = async (id: string) => {
    const opened = await open(id);
    if (opened.ok) real.writers.push(opened.value);
    return opened;
  };
  return { store, manager };
}

/** Runs `work` with the scheduler releasing the I/O it waits for. */
function drive<T>(real: Real, work: () => Promise<T>): Promise<T> {
  const scheduler = real.context.scheduler;
  return scheduler ? scheduler.waitFor(work()) : work();
}

const contents = (session: LiveSession) => session.snapshot().conversation.map((message) => message.content);
const openIds = (model: Model) => model.order.filter((id) => model.sessions.get(id)?.open);
const closedIds = (model: Model) => model.order.filter((id) => !model.sessions.get(id)?.open);
const pickFrom = (ids: string[], pick: number) => ids[pick % ids.length] as string;

function expectSaved(entry: ModelSession, onDisk: string[]): number {
  const n = onDisk.length;
  expect(n, 'saved length within range').toBeGreaterThanOrEqual(entry.savedLo);
  expect(n, 'saved length within range').toBeLessThanOrEqual(entry.savedHi);
  expect(onDisk).toEqual(entry.live.slice(0, n));
  return n;
}

class CreateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly project: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    count('create');
    const result = await drive(real, () =>
      real.manager.create({ projectPath: real.projects[this.project] as string }),
    );
    const busy = openIds(model).some((id) => model.sessions.get(id)?.project === this.project);
    if (busy) {
      expect(result.ok ? 'ok' : result.error.code).toBe('project_already_open');
      return;
    }
    if (openIds(model).length >= maxOpen) {
      expect(result.ok ? 'ok' : result.error.code).toBe('session_limit_reached');
      return;
    }
    expect(result.ok ? 'ok' : result.error.code).toBe('ok');
    if (!result.ok) return;
    model.sessions.set(result.value.id, {
      project: this.project,
      live: [],
      savedLo: 0,
      savedHi: 0,
      open: true,
    });
    model.order.push(result.value.id);
  }
  toString = () => `create(${this.project})`;
}

class AddMessagesCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly count: number,
    readonly concurrent: boolean,
  ) {}
  check = (model: Readonly<Model>) => openIds(model as Model).length > 0;
  async run(model: Model, real: Real) {
    count(this.concurrent ? 'burst' : 'add');
    const id = pickFrom(openIds(model), this.pick);
    const live = real.manager.get(id);
    expect(live.ok).toBe(true);
    if (!live.ok) return;
    const texts = Array.from({ length: this.count }, () => `m${++real.counter}`);
    const results = this.concurrent
      ? await drive(real, () => Promise.all(texts.map((text) => live.value.addMessage('user', text))))
      : await drive(real, async () => {
          const out = [];
          for (const text of texts) out.push(await live.value.addMessage('user', text));
          return out;
        });
    for (const result of results) expect(result.ok).toBe(true);
    const entry = model.sessions.get(id) as ModelSession;
    entry.live.push(...texts);
    expect(contents(live.value)).toEqual(entry.live);
  }
  toString = () => `add(${this.pick}, ${this.count}${this.concurrent ? ', concurrent' : ''})`;
}

class SaveCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly racingAppend: boolean,
  ) {}
  check = (model: Readonly<Model>) => openIds(model as Model).length > 0;
  async run(model: Model, real: Real) {
    count(this.racingAppend ? 'save-racing-append' : 'save');
    const id = pickFrom(openIds(model), this.pick);
    const entry = model.sessions.get(id) as ModelSession;
    const before = entry.live.length;
    const live = real.manager.get(id);
    if (!live.ok) throw live.error;
    const text = `m${++real.counter}`;
    const [saved, appended] = await drive(real, () =>
      Promise.all([
        real.manager.save(id),
        this.racingAppend ? live.value.addMessage('assistant', text) : Promise.resolve(undefined),
      ]),
    );
    expect(saved.ok ? 'ok' : saved.error.code).toBe('ok');
    if (appended) {
      expect(appended.ok).toBe(true);
      entry.live.push(text);
      // The save took a snapshot either before or after the append was applied.
      entry.savedLo = before;
      entry.savedHi = before + 1;
    } else {
      entry.savedLo = entry.savedHi = before;
    }
  }
  toString = () => `save(${this.pick}${this.racingAppend ? ', racing an append' : ''})`;
}

class LoadCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.order.length > 0;
  async run(model: Model, real: Real) {
    count('load');
    const id = pickFrom(model.order, this.pick);
    const entry = model.sessions.get(id) as ModelSession;
    const loaded = await drive(real, () => real.store.load(id));
    expect(loaded.ok ? 'ok' : loaded.error.code).toBe('ok');
    if (!loaded.ok) return;
    expectSaved(
      entry,
      loaded.value.session.conversation.map((message) => message.content),
    );
    if (entry.name !== undefined) expect(loaded.value.session.name).toBe(entry.name);
  }
  toString = () => `load(${this.pick})`;
}

class CloseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => openIds(model as Model).length > 0;
  async run(model: Model, real: Real) {
    count('close');
    const id = pickFrom(openIds(model), this.pick);
    const closed = await drive(real, () => real.manager.close(id));
    expect(closed.ok && closed.value.saved).toBe(true);
    const entry = model.sessions.get(id) as ModelSession;
    entry.open = false;
    entry.savedLo = entry.savedHi = entry.live.length;
  }
  toString = () => `close(${this.pick})`;
}

class ResumeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => closedIds(model as Model).length > 0;
  async run(model: Model, real: Real) {
    count('resume');
    const id = pickFrom(closedIds(model), this.pick);
    const entry = model.sessions.get(id) as ModelSession;
    const resumed = await drive(real, () => real.manager.resume(id));
    const busy = openIds(model).some((other) => model.sessions.get(other)?.project === entry.project);
    const code = resumed.ok ? 'ok' : resumed.error.code;
    if (busy) expect(code).toBe('project_already_open');
    else if (openIds(model).length >= maxOpen) expect(code).toBe('session_limit_reached');
    else expect(code).toBe('ok');
    if (!resumed.ok) return;
    const n = expectSaved(entry, contents(resumed.value));
    entry.live = entry.live.slice(0, n);
    entry.savedLo = entry.savedHi = n;
    entry.open = true;
    if (entry.name !== undefined) expect(resumed.value.name).toBe(entry.name);
  }
  toString = () => `resume(${this.pick})`;
}

class UpdateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => closedIds(model as Model).length > 0;
  async run(model: Model, real: Real) {
    count('update');
    const id = pickFrom(closedIds(model), this.pick);
    const name = `renamed ${++real.counter}`;
    const updated = await drive(real, () => real.store.update(id, (session) => ({ ...session, name })));
    expect(updated.ok ? 'ok' : updated.error.code).toBe('ok');
    (model.sessions.get(id) as ModelSession).name = name;
  }
  toString = () => `update(${this.pick})`;
}

class CleanupCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly maxCount: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    count('cleanup');
    const open = openIds(model);
    const report = await drive(real, () =>
      real.store.cleanup({ maxCount: this.maxCount, maxAgeDays: 36_500, active: { ids: open } }),
    );
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.failed).toEqual([]);
    for (const id of report.value.deleted) {
      expect(model.sessions.get(id)?.open, 'cleanup never deletes an open session').toBe(false);
      model.sessions.delete(id);
      model.order.splice(model.order.indexOf(id), 1);
    }
    expect(closedIds(model).length).toBeLessThanOrEqual(Math.max(this.maxCount, 0));
    const listing = await drive(real, () => real.store.listPersisted());
    expect(listing.ok && listing.value.sessions.map((session) => session.id).sort()).toEqual(
      [...model.order].sort(),
    );
  }
  toString = () => `cleanup(maxCount ${this.maxCount})`;
}

class RestartCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    count('restart');
    // The process dies: no snapshot, no journal retirement; its descriptors and leases go away.
    await drive(real, async () => {
      for (const live of real.manager.list()) await live.lease.release();
      for (const writer of real.writers.splice(0)) await writer.close();
    });
    const reopened = await drive(real, () => openReal(real));
    real.store = reopened.store;
    real.manager = reopened.manager;
    const report = await drive(real, () => real.manager.recover());
    expect(report.failed).toEqual([]);
    expect([...report.recovered].sort()).toEqual([...openIds(model)].sort());
    for (const id of openIds(model)) {
      const entry = model.sessions.get(id) as ModelSession;
      entry.open = false;
      // Every acknowledged message comes back from the journal.
      entry.savedLo = entry.savedHi = entry.live.length;
    }
  }
  toString = () => 'restart';
}

const create = fc.integer({ min: 0, max: projectCount - 1 }).map((project) => new CreateCommand(project));
const add = fc
  .tuple(fc.nat(), fc.integer({ min: 1, max: 4 }), fc.boolean())
  .map(([pick, n, concurrent]) => new AddMessagesCommand(pick, n, concurrent));
const commands = [
  create,
  create,
  add,
  add,
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .map(([pick, n, concurrent]) => new AddMessagesCommand(pick, n, concurrent)),
  fc.tuple(fc.nat(), fc.boolean()).map(([pick, racing]) => new SaveCommand(pick, racing)),
  fc.nat().map((pick) => new LoadCommand(pick)),
  fc.nat().map((pick) => new CloseCommand(pick)),
  fc.nat().map((pick) => new ResumeCommand(pick)),
  fc.nat().map((pick) => new ResumeCommand(pick)),
  fc.nat().map((pick) => new UpdateCommand(pick)),
  fc.integer({ min: 0, max: 6 }).map((maxCount) => new CleanupCommand(maxCount)),
  fc.constant(new RestartCommand()),
];

const runs = scaled(150, 1_000);
const maxCommands = scaled(20, 50);

it(`${runs} runs × up to ${maxCommands} commands never diverge from the model`, {
  timeout: 7_200_000,
}, async () => {
  let executed = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.commands(commands, { maxCommands, size: 'large' }),
      async (scheduler, cmds) => {
        const home = makePrivateHome('jido-rel-model-');
        const projects = Array.from({ length: projectCount }, (_, index) => {
          const path = join(home, `project-${index}`);
          mkdirSync(path, { mode: 0o700 });
          return path;
        });
        const context: SchedulingContext = { scheduler: undefined };
        const partial = { home, projects, writers: [] as SessionJournal[], context, counter: 0 };
        const { store, manager } = await openReal(partial);
        const real: Real = { ...partial, store, manager };
        const model: Model = { sessions: new Map(), order: [] };
        context.scheduler = scheduler;
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          executed += 1;
          // Quiesce: close everything, then every session on disk must be exactly its live messages.
          context.scheduler = undefined;
          for (const report of await real.manager.closeAll()) expect(report.saved).toBe(true);
          for (const id of model.order) {
            const loaded = await real.store.load(id);
            expect(loaded.ok && loaded.value.session.conversation.map((message) => message.content)).toEqual(
              model.sessions.get(id)?.live,
            );
          }
        } finally {
          context.scheduler = undefined;
          for (const writer of real.writers.splice(0)) await writer.close().catch(() => undefined);
          removePrivateHome(home);
        }
      },
    ),
    { numRuns: runs, seed: 424_242 },
  );
  reportFigure('model runs', {
    runs: executed,
    maxCommands,
    commands: Object.fromEntries([...commandCounts].sort()),
  });
});
