import type { Logger } from '@jido-code/core-schema';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import type { LiveSession, LiveSessionParts } from '../live-session.js';
import type { Redactor } from '../redaction/redactor.js';
import type { SessionRegistry } from '../registry.js';

/** What the `SessionManager` operations share: its store, registry, clock, ids, logger and hooks. */
export interface ManagerParts {
  readonly store: SessionStore<SessionBackend>;
  readonly registry: SessionRegistry<LiveSession>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Called between the first and the second project-path check of a resume. */
  readonly afterStartHook: ((session: LiveSession) => Promise<void> | void) | undefined;
  readonly onRedaction: LiveSessionParts['onRedaction'] | undefined;
}
