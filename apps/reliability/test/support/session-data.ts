import type { Message, UnsignedSession } from '@jido-code/core-schema';
import type { SessionFactory } from '@jido-code/test-support';

/** One message's content stays under core-schema's 4 MiB cap. */
const chunkBytes = 3 * 1024 * 1024;

/**
 * A valid unsigned session whose messages carry about `payloadBytes` of content (ASCII, split into
 * messages under the per-message cap) and whose name carries `counter`, so that the version on
 * disk can be compared with the last acknowledged one.
 */
export function sessionWithPayload(
  factory: SessionFactory,
  id: string,
  counter: number,
  payloadBytes: number,
  options: { readonly closedAt?: string } = {},
): UnsignedSession {
  const conversation: Message[] = [];
  let left = Math.max(1, payloadBytes);
  let index = 0;
  while (left > 0) {
    const size = Math.min(left, chunkBytes);
    const filler = String.fromCharCode(97 + ((counter + index) % 26));
    conversation.push(
      factory.message({ role: index % 2 === 0 ? 'user' : 'assistant', content: filler.repeat(size) }),
    );
    left -= size;
    index += 1;
  }
  const closedAt = options.closedAt ?? factory.timestamp();
  const base = factory.session({ id, name: `c${counter}`, conversation, todoCount: 1 });
  return { ...base, updated_at: closedAt, closed_at: closedAt } as UnsignedSession;
}

/** The counter a session carries in its name (`c<counter>`), or NaN. */
export function counterOf(session: { readonly name: string }): number {
  return session.name.startsWith('c') ? Number(session.name.slice(1)) : Number.NaN;
}
