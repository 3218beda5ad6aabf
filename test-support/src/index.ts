// Plain helpers: nothing here needs vitest. The vitest-bound ones are on `./vitest`.
export { errnoError } from './errno-error.js';
export {
  type FaultCall,
  type FaultCode,
  type FaultKind,
  type FaultLog,
  type FaultPlan,
  type FaultRule,
  type InjectedFault,
  type InjectFaultsOptions,
  injectFaults,
} from './fault-injection.js';
export { mulberry32 } from './prng.js';
export { SessionFactory, type SessionFactoryOptions, type SessionOverrides } from './session-factory.js';
export { type WaitForFileOptions, waitForFile } from './wait-for-file.js';
export {
  type LineInput,
  stdinLines,
  tsxCommand,
  type WorkerExit,
  WorkerProcess,
  type WorkerProcessOptions,
} from './worker-process.js';
