import { err, JidoError, ok, type Result } from '@jido-code/core-schema';

/** What the registry needs to know of an open session. */
export interface RegisteredSession {
  readonly id: string;
  readonly name: string;
  readonly projectPath: string;
}

/**
 * The sessions open in this process, in the order they were opened: at most `maxOpen`, and at most
 * one per project path (a fork opened from an open session shares its parent's). Lookups by id, 1-based index or exact name.
 */
export class SessionRegistry<T extends RegisteredSession> {
  readonly #sessions = new Map<string, T>();
  /** Sessions being opened: id → project path. */
  readonly #reserved = new Map<string, string>();
  readonly maxOpen: number;

  constructor(maxOpen: number) {
    this.maxOpen = maxOpen;
  }

  /** Open sessions, oldest first. */
  list(): T[] {
    return [...this.#sessions.values()];
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Checks the limits for a session about to open and holds its id and project path until it is
   * added or released, so two concurrent opens cannot both pass. `forkOf` names the open session
   * a fork was just made from: the fork may share that session's project folder (`/session fork`).
   */
  reserve(id: string, projectPath: string, forkOf?: string): Result<() => void> {
    if (this.#sessions.has(id) || this.#reserved.has(id)) {
      return err(
        new JidoError('already_open_elsewhere', 'This session is already open.', { details: { id } }),
      );
    }
    const sharesWithParent = forkOf !== undefined && this.#sessions.get(forkOf)?.projectPath === projectPath;
    const pathTaken =
      !sharesWithParent &&
      ([...this.#reserved.values()].includes(projectPath) || this.byProjectPath(projectPath) !== undefined);
    if (pathTaken) {
      return err(
        new JidoError('project_already_open', 'A session is already open for this project.', {
          details: { projectPath },
        }),
      );
    }
    const current = this.#sessions.size + this.#reserved.size;
    if (current >= this.maxOpen) {
      return err(
        new JidoError('session_limit_reached', `Too many open sessions (${current} of ${this.maxOpen}).`, {
          details: { current, max: this.maxOpen },
        }),
      );
    }
    this.#reserved.set(id, projectPath);
    return ok(() => {
      this.#reserved.delete(id);
    });
  }

  /** Adds a session whose reservation is held; the reservation is released. */
  add(session: T, release: () => void): void {
    release();
    this.#sessions.set(session.id, session);
  }

  /** Removes a session; true if it was open. */
  remove(id: string): boolean {
    return this.#sessions.delete(id);
  }

  /** The open session with this id. */
  get(id: string): T | undefined {
    return this.#sessions.get(id);
  }

  /** The open session working in this project path. */
  byProjectPath(projectPath: string): T | undefined {
    return this.list().find((session) => session.projectPath === projectPath);
  }

  /** Ids and project paths of open sessions: what resume lists leave out. */
  active(): { ids: Set<string>; projectPaths: Set<string> } {
    const sessions = this.list();
    return {
      ids: new Set(sessions.map((session) => session.id)),
      projectPaths: new Set(sessions.map((session) => session.projectPath)),
    };
  }
}
