/** Where packages report what a user need not see: debug facts and recoverable oddities. */
export interface Logger {
  /** Detail for a debug log (`--verbose`). */
  debug(message: string, details?: Readonly<Record<string, unknown>>): void;
  /** Something recovered from that a careful user may want to know. */
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** A {@link Logger} that drops everything; the default where none is injected. */
export const silentLogger: Logger = {
  debug() {},
  warn() {},
};
