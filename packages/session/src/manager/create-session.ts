import { basename } from 'node:path';
import {
  err,
  type LlmConfig,
  limits,
  type Result,
  textTooLong,
  type UnsignedSession,
} from '@jido-code/core-schema';
import type { LiveSession } from '../live-session.js';
import { validateProjectPath } from '../project-path.js';
import type { ManagerParts } from './manager-parts.js';
import { startSession } from './start-session.js';

/** The LLM settings a new session gets when none are given. */
export const defaultLlmConfig: LlmConfig = {
  provider: 'offline',
  model: 'echo-1',
  temperature: 0.2,
  max_tokens: 4096,
};

/** What a new session starts with. */
export interface CreateSessionOptions {
  readonly projectPath: string;
  readonly name?: string | undefined;
  readonly config?: LlmConfig | undefined;
}

function defaultName(projectPath: string): string {
  const folder = basename(projectPath) || 'session';
  return folder.trim().slice(0, limits.maxNameLength) || 'session';
}

/** `SessionManager.create`: validates, builds the new session, saves it at once and opens it. */
export async function createSession(
  parts: ManagerParts,
  options: CreateSessionOptions,
): Promise<Result<LiveSession>> {
  const project = await validateProjectPath(options.projectPath);
  if (!project.ok) return project;
  const now = parts.now().toISOString();
  const given = options.name?.trim();
  const tooLong = given === undefined ? undefined : textTooLong('name', given);
  if (tooLong !== undefined) return err(tooLong);
  const name = given ?? defaultName(project.value.path);
  const session: UnsignedSession = {
    version: 1,
    id: parts.newId(),
    name,
    project_path: project.value.path,
    config: options.config ?? defaultLlmConfig,
    created_at: now,
    updated_at: now,
    closed_at: null,
    conversation: [],
    todos: [],
  };
  // The name and config extras are saved at once, before any journaled change.
  const { session: redacted } = await parts.redactor.redactSession(session);
  return startSession(parts, redacted, project.value, { saveFirst: true });
}
