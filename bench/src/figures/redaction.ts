import { join } from 'node:path';
import { defaultAppConfig, type UnsignedSession } from '@jido-code/core-schema';
import { type LiveSession, Redactor, SessionManager } from '@jido-code/session';
import type { SessionStore } from '@jido-code/storage';
import { SessionFactory, secretCorpus } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';
import { timeMs } from '../harness/timer.js';

const appendTarget = 1.1;
const saveTarget = 1.05;
const prefilledMessages = 10_000;

/** About 2 KB of ordinary prose and code, with no credential in it. */
function twoKilobyteMessage(index: number): string {
  const text =
    `Turn ${index}: the failing test is in src/parser.test.ts; expected 3 tokens but got 4. ` +
    'Here is the function:\n```ts\nexport function tokenize(input: string): string[] {\n' +
    '  return input.split(/\\s+/).filter((word) => word.length > 0);\n}\n```\n' +
    'Please check the whitespace handling and keep the public signature unchanged. ';
  return text.repeat(Math.ceil(2048 / text.length)).slice(0, 2048);
}

/** Both sides share one store (same folders, same keyring), so only the redactor differs. */
async function openSession(
  context: BenchContext,
  store: SessionStore,
  name: string,
  redaction: 'redact' | 'off',
) {
  const manager = new SessionManager({
    store,
    redactor: new Redactor({ redaction, redaction_allowlist: [] }),
  });
  const session = unwrap(await manager.create({ projectPath: context.projectDir, name }), 'create');
  return { manager, session };
}

async function prefill(session: LiveSession, count: number): Promise<void> {
  const factory = new SessionFactory({ seed: 31 });
  for (let done = 0; done < count; done += 500) {
    const added = await Promise.all(
      Array.from({ length: Math.min(500, count - done) }, () =>
        session.addMessage('user', factory.message().content),
      ),
    );
    for (const result of added) unwrap(result, 'prefill');
  }
}

/** A session of `megabytes` of realistic messages, one in twenty carrying a credential. */
function scanFixture(megabytes: number): { session: UnsignedSession; bytes: number } {
  const factory = new SessionFactory({ seed: 37 });
  const secrets = secretCorpus(41, 4).map((sample) => sample.text);
  const conversation = [];
  let bytes = 0;
  for (let index = 0; bytes < megabytes * 1024 * 1024; index++) {
    const content =
      index % 20 === 0 ? (secrets[index % secrets.length] as string) : twoKilobyteMessage(index);
    conversation.push({ ...factory.message(), content });
    bytes += Buffer.byteLength(content);
  }
  const { signature: _signature, ...session } = factory.session({ messageCount: 0, todoCount: 0 });
  return { session: { ...session, conversation }, bytes };
}

/**
 * Redaction's cost where it runs: a 2 KB message appended (redaction on against off, same store
 * settings otherwise), a save of a 10,000-message session after one new message (only the new one
 * is scanned: the save itself scans nothing), and `sessions scan` throughput in MB/s.
 */
export async function redactionFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const rows: FigureRow[] = [];
  const store = await openStore(join(context.root, 'redaction'));
  const off = await openSession(context, store, 'off', 'off');
  const on = await openSession(context, store, 'on', 'redact');
  let turn = 0;

  context.log('redaction: journal append of a 2 KB message, on against off');
  const append = await compareInterleaved(
    async () => unwrap(await off.session.addMessage('user', twoKilobyteMessage(turn++)), 'append'),
    async () => unwrap(await on.session.addMessage('user', twoKilobyteMessage(turn++)), 'append'),
    planFor(context, { warmup: 20, minSamples: 150, maxSamples: 600, budgetMs: 3000 }),
  );
  rows.push({
    operation: 'message append with redaction',
    size: '2 KB message',
    floorName: 'the same append, redaction off',
    ...append,
    target: `p50 ≤ ${appendTarget}× (adds ≤ 10%)`,
    status: statusAtMost(append.ratio, appendTarget),
  });

  const count = context.quick ? 2_000 : prefilledMessages;
  context.log(`redaction: save at ${count.toLocaleString('en-US')} messages, on against off`);
  await prefill(off.session, count);
  await prefill(on.session, count);
  const save = async (side: typeof on) => {
    unwrap(await side.session.addMessage('user', twoKilobyteMessage(turn++)), 'append');
    unwrap(await side.manager.save(side.session.id), 'save');
  };
  const saved = await compareInterleaved(
    () => save(off),
    () => save(on),
    planFor(context, { warmup: 3, minSamples: 20, maxSamples: 120, budgetMs: 8000 }),
  );
  rows.push({
    operation: 'one new message + save, with redaction',
    size: `${Math.round(count / 1000)}k messages`,
    floorName: 'the same, redaction off',
    ...saved,
    target: `p50 ≤ ${saveTarget}× (adds ≤ 5%)`,
    status: statusAtMost(saved.ratio, saveTarget),
  });
  await off.manager.closeAll();
  await on.manager.closeAll();

  rows.push(await scanRow(context));
  return { rows };
}

/** `sessions scan` throughput in MB/s, against one regular expression over the same texts. */
async function scanRow(context: BenchContext): Promise<FigureRow> {
  const megabytes = context.quick ? 2 : 8;
  context.log(`redaction: sessions scan of ${megabytes} MB`);
  const fixture = scanFixture(megabytes);
  const redactor = new Redactor(defaultAppConfig);
  const floorPattern = /(?<!\p{L})gh[pousr]_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])/gu;
  const texts = fixture.session.conversation.map((message) => message.content);
  const scan = await compareInterleaved(
    async () => {
      for (const text of texts) text.match(floorPattern);
    },
    async () => redactor.scanSession(fixture.session),
    planFor(context, { warmup: 2, minSamples: 8, maxSamples: 40, budgetMs: 10000 }),
  );
  const found = await redactor.scanSession(fixture.session);
  return {
    operation: 'sessions scan (rule set over every text)',
    size: `${megabytes} MB session`,
    floorName: 'one regular expression over the same texts',
    ...scan,
    target: 'throughput, reported',
    status: 'reported',
    facts: {
      megabytesPerSecond:
        Math.round((fixture.bytes / 1024 / 1024 / (scan.subject.medianMs / 1000)) * 10) / 10,
      secretsFound: found.count,
      singleMessageScanMs:
        Math.round(
          (await timeMs(() =>
            redactor.scanSession({
              ...fixture.session,
              conversation: fixture.session.conversation.slice(1, 2),
            }),
          )) * 1000,
        ) / 1000,
    },
  };
}
