/** Bounds every persisted document respects. Storage and the schemas read them from here. */
export const limits = {
  /** Largest session file accepted on read or produced on write (JidoCode's 10 MiB; docs/architecture.md). */
  maxFileSizeBytes: 10 * 1024 * 1024,
  /** Deepest nesting of arrays and objects any document may have. */
  maxDepth: 32,
  /** Longest session name, in characters (JidoCode's 50). */
  maxNameLength: 50,
  /** Longest project path, in characters. */
  maxPathLength: 4096,
  /** Longest single message body, in characters. */
  maxMessageLength: 4 * 1024 * 1024,
  /** Most messages one session may hold. */
  maxMessages: 100_000,
  /** Most todos one session may hold. */
  maxTodos: 1_000,
  /** Longest todo text or active form, in characters. */
  maxTodoLength: 4_096,
  /** Longest short identifier-like string (message id, provider, model, key id). */
  maxShortStringLength: 256,
  /** Most keys in an open-ended map (config extras, usage counters). */
  maxMapEntries: 64,
} as const;
