import { JidoError, limits, type Session, type UnsignedSession } from '@jido-code/core-schema';

/** What a fork takes from the command line. */
export interface ForkOptions {
  /** Keep messages 1..at (1-based, inclusive); default all. */
  readonly at?: number;
  /** The fork's name; default "<source name> (fork)", cut to the name limit. */
  readonly name?: string;
  /**
   * Completes the saved source with what its journal holds that the snapshot does not (a session
   * open in another process). Called inside the source's exclusive section, so the snapshot and the
   * journal it reads are one consistent state; it must only read.
   */
  readonly withPending?: (saved: Session) => Promise<UnsignedSession>;
}

/** The default name of a fork of `name`: the suffix kept whole when it fits, the source name cut. */
export function forkName(name: string): string {
  const suffix = ' (fork)';
  return `${name.slice(0, limits.maxNameLength - suffix.length).trimEnd()}${suffix}`;
}

/**
 * The fork of `source` at message `options.at`: a new id, the lineage fields set, the messages
 * 1..at copied exactly (same ids and timestamps), todos and config as they were. Pure: the source
 * object is not changed.
 */
export function forkOf(
  source: Session | UnsignedSession,
  id: string,
  now: Date,
  options: ForkOptions = {},
): UnsignedSession {
  const total = source.conversation.length;
  const at = options.at ?? total;
  if (!Number.isInteger(at) || at < 1 || at > total) {
    throw new JidoError(
      'invalid_value',
      total === 0
        ? 'This session has no messages to fork from.'
        : `The fork point must be a message number from 1 to ${total}.`,
      { details: { field: 'at', at, max: total } },
    );
  }
  // A fork is a session of its own: not the import record of the source's file.
  const { signature: _signature, imported_from: _imported, ...rest } = source as Session;
  const timestamp = now.toISOString();
  return structuredClone({
    ...rest,
    id,
    name: options.name ?? forkName(source.name),
    parent_id: source.id,
    forked_at_message: at,
    conversation: source.conversation.slice(0, at),
    created_at: timestamp,
    updated_at: timestamp,
    closed_at: timestamp,
    last_resumed_at: null,
    recovered_at: null,
  });
}
