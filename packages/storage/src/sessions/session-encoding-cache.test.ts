import { canonicalJson, type Message, type Session } from '@jido-code/core-schema';
import { sessionSchema } from '@jido-code/core-schema/schemas';
import { Keyring, memoryKeyringPersistence, type SignedPayload } from '@jido-code/crypto';
import { SessionFactory } from '@jido-code/test-support';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSession } from './session-codec.js';
import { SessionEncodingCache } from './session-encoding-cache.js';

const maxBytes = 10 * 1024 * 1024;
let keyring: Keyring;
const sign = (payload: SignedPayload) => keyring.sign(payload);

beforeAll(async () => {
  keyring = await Keyring.open(memoryKeyringPersistence());
});

/**
 * The reference, independent of the codec: validate the whole session, sign the canonical JSON of
 * everything but the signature, write the canonical JSON of the signed document.
 */
function fromScratch(session: Session): { ok: true; text: string } | { ok: false; code: string } {
  const { signature: _signature, ...unsigned } = session;
  const parsed = sessionSchema.safeParse(unsigned);
  if (!parsed.success) return { ok: false, code: 'invalid_schema' };
  const clean = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
  const payload = canonicalJson(clean);
  if (!payload.ok) return { ok: false, code: payload.error.code };
  const document = canonicalJson({ ...clean, signature: sign(payload.value) });
  if (!document.ok) return { ok: false, code: document.error.code };
  return { ok: true, text: document.value };
}

async function encodedWith(session: Session, cache: SessionEncodingCache) {
  const encoded = await encodeSession(session, sign, maxBytes, cache);
  return encoded.ok
    ? { ok: true as const, text: Buffer.from(encoded.value.bytes).toString('utf8') }
    : { ok: false as const, code: encoded.error.code };
}

type Step =
  | { kind: 'append'; count: number }
  | { kind: 'edit'; at: number; content: string }
  | { kind: 'drop'; at: number }
  | { kind: 'rename'; name: string }
  | { kind: 'todo'; text: string }
  | { kind: 'invalid'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'prepend' }
  | { kind: 'revert'; back: number }
  | { kind: 'unchanged' };

const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), content: fc.string({ unit: 'binary' }) }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('rename' as const), name: fc.string({ minLength: 0, maxLength: 60 }) }),
    fc.record({ kind: fc.constant('todo' as const), text: fc.string({ minLength: 1, maxLength: 40 }) }),
    fc.record({ kind: fc.constant('invalid' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.constant({ kind: 'prepend' as const }),
    fc.record({ kind: fc.constant('revert' as const), back: fc.nat() }),
    fc.constant({ kind: 'unchanged' as const }),
  ),
  { minLength: 1, maxLength: 12 },
);

/**
 * Applies a step as the runtime would: new arrays and new objects for what changed, the rest
 * shared. `truncate` keeps a prefix (a fork), `revert` goes back to an earlier session (another
 * session sharing the same first messages).
 */
function apply(session: Session, step: Step, factory: SessionFactory, history: readonly Session[]): Session {
  const messages = session.conversation;
  const at = (index: number) => (messages.length === 0 ? -1 : index % messages.length);
  switch (step.kind) {
    case 'append':
      return {
        ...session,
        conversation: [...messages, ...Array.from({ length: step.count }, () => factory.message())],
      };
    case 'edit': {
      const index = at(step.at);
      if (index < 0) return session;
      const changed: Message = { ...(messages[index] as Message), content: step.content };
      return { ...session, conversation: messages.map((message, i) => (i === index ? changed : message)) };
    }
    case 'drop':
      return { ...session, conversation: messages.filter((_, i) => i !== at(step.at)) };
    case 'rename':
      return { ...session, name: step.name };
    case 'todo':
      return { ...session, todos: [...session.todos, factory.todo({ content: step.text })] };
    case 'invalid': {
      const index = at(step.at);
      if (index < 0) return session;
      const broken = { ...(messages[index] as Message), role: 'robot' } as unknown as Message;
      return { ...session, conversation: messages.map((message, i) => (i === index ? broken : message)) };
    }
    case 'truncate':
      return {
        ...session,
        conversation: messages.slice(0, messages.length === 0 ? 0 : step.at % messages.length),
      };
    case 'prepend':
      return { ...session, conversation: [factory.message(), ...messages] };
    case 'revert':
      return history[history.length - 1 - (step.back % history.length)] ?? session;
    case 'unchanged':
      return session;
  }
}

describe('incremental saves', () => {
  it('write exactly the bytes a from-scratch save writes, after any sequence of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), steps, async (seed, sequence) => {
        const factory = new SessionFactory({ seed });
        const shared = new SessionEncodingCache();
        let session = factory.session({ messageCount: 4, todoCount: 1 }) as Session;
        const history: Session[] = [session];
        for (const step of [{ kind: 'unchanged' } as const, ...sequence]) {
          session = apply(session, step, factory, history);
          history.push(session);
          const incremental = await encodedWith(session, shared);
          expect(incremental).toEqual(fromScratch(session));
          expect(incremental).toEqual(await encodedWith(session, new SessionEncodingCache()));
          // The runtime keeps what a save returned: its messages are cache keys too.
          const saved = await encodeSession(session, sign, maxBytes, shared);
          if (saved.ok) {
            const { signature, ...unsigned } = saved.value.session;
            expect(saved.value.session).toStrictEqual({ ...sessionSchema.parse(unsigned), signature });
            session = saved.value.session;
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('validates and serializes a message once, then reuses it', async () => {
    const cache = new SessionEncodingCache();
    const message = new SessionFactory({ seed: 3 }).message();
    const first = cache.message(message);
    expect(first?.canonical).toBe((canonicalJson(message) as { value: string }).value);
    expect(cache.message(message)).toBe(first);
    expect(cache.message(first?.message)).toBe(first);
    expect(cache.message({ ...message, role: 'robot' })).toBeUndefined();
  });

  it('reuses the bytes of a conversation prefix it has seen, and shares nothing it has not', async () => {
    const cache = new SessionEncodingCache();
    const factory = new SessionFactory({ seed: 5 });
    const messages = Array.from({ length: 5 }, () => factory.message());
    const joined = (list: readonly Message[]) =>
      list.map((message) => (canonicalJson(message) as { value: string }).value).join(',');
    const text = (list: readonly Message[]) =>
      Buffer.from((cache.conversation(list) as { bytes: Uint8Array }).bytes).toString('utf8');
    const all = cache.conversation(messages);
    expect(cache.conversation([...messages])).toBe(all);
    expect(cache.conversation(all?.messages ?? [])).toBe(all);
    expect(text(messages.slice(0, 2))).toBe(joined(messages.slice(0, 2)));
    const longer = [...messages, factory.message()];
    expect(text(longer)).toBe(joined(longer));
    const changed = [...messages.slice(0, 3), { ...(messages[3] as Message), content: 'changed' }];
    expect(text(changed)).toBe(joined(changed));
    expect(text([])).toBe('');
    expect(cache.conversation([...messages, { ...(messages[0] as Message), role: 'robot' }])).toBeUndefined();
  });
});
