export type { Agent, AgentInput, AgentSessionView } from './agent.js';
export { OfflineAgent } from './agent.js';
export type { CliIo } from './io.js';
export { run } from './run.js';
