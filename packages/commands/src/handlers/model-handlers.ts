import {
  effectiveConfig,
  hasProviderKey,
  isProviderName,
  keyVariables,
  type ProviderEnvironment,
  parseModelSpec,
} from '@jido-code/agent/models';
import { err, JidoError, type LlmConfig, ok, type Result } from '@jido-code/core-schema';
import type { LiveSession } from '@jido-code/session';
import type { Command } from '../command.js';
import { type ModelView, type Outcome, viewOf } from '../outcome.js';
import type { HandlerContext } from './context.js';

/** `/model`, `/usage` and `/retry`, against the active session. */
export async function handleModelCommand(
  context: HandlerContext,
  environment: ProviderEnvironment,
  command: Extract<Command, { kind: 'model' | 'usage' | 'retry' }>,
): Promise<Result<Outcome>> {
  const session = context.active();
  if (!session) return err(new JidoError('no_active_session', 'No active session.'));
  const view = viewOf(session, session.id);
  switch (command.kind) {
    case 'model': {
      if (command.spec === undefined) {
        return ok({ kind: 'model.shown', session: view, model: modelView(session.config, environment) });
      }
      const spec = parseModelSpec(command.spec);
      if (!spec.ok) return spec;
      const changed = await session.setConfig({
        ...session.config,
        provider: spec.value.provider,
        model: spec.value.model,
      });
      if (!changed.ok) return changed;
      return ok({ kind: 'model.changed', session: view, model: modelView(changed.value, environment) });
    }
    case 'usage':
      return ok({ kind: 'usage.shown', session: view, ...usageOf(session) });
    case 'retry': {
      const message = lastUserMessage(session);
      if (message === undefined) {
        return err(new JidoError('usage', 'There is no message to send again yet: type one first.'));
      }
      return ok({ kind: 'message.retry', session, message });
    }
  }
}

/** What answers in a session: its model and whether the key for it is set. */
function modelView(config: LlmConfig, environment: ProviderEnvironment): ModelView {
  if (isProviderName(config.provider)) {
    return {
      provider: config.provider,
      model: config.model,
      ready: hasProviderKey(config.provider, environment),
      variable: keyVariables[config.provider],
      viaDefault: false,
    };
  }
  const effective = effectiveConfig(config, environment);
  if (effective === undefined || !isProviderName(effective.provider)) {
    return { provider: config.provider, model: config.model, ready: false, viaDefault: false };
  }
  return {
    provider: effective.provider,
    model: effective.model,
    ready: true,
    variable: keyVariables[effective.provider],
    viaDefault: true,
  };
}

function usageOf(session: LiveSession) {
  const { messages } = session.getMessages();
  let replies = 0;
  let last: Record<string, number> | undefined;
  for (const message of messages) {
    if (message.role === 'assistant' && message.usage !== undefined) {
      replies += 1;
      last = message.usage;
    }
  }
  return { replies, total: session.cumulativeUsage ?? {}, ...(last === undefined ? {} : { last }) };
}

function lastUserMessage(session: LiveSession) {
  const total = session.messageCount;
  // Pages from the end: the last user message is almost always among the last few.
  for (let end = total; end > 0; end -= 50) {
    const offset = Math.max(0, end - 50);
    const page = session.getMessages({ offset, limit: end - offset }).messages;
    for (let index = page.length - 1; index >= 0; index--) {
      if (page[index]?.role === 'user') return page[index];
    }
  }
  return undefined;
}
