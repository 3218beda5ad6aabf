// Plain helpers: nothing here needs vitest. The vitest-bound ones are on `./vitest`.
export {
  type AnthropicStub,
  type AnthropicStubResponse,
  startAnthropicStub,
} from './anthropic-stub-server.js';
export { type BundledScript, bundleForOtherUser } from './bundle-for-other-user.js';
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
export { type FoundValue, findInFiles } from './find-in-files.js';
export {
  compareKeysByBytes,
  encodeJasonPretty,
  JasonFloat,
  type JasonValue,
  jasonFloat,
  jasonString,
} from './jidocode/jason-pretty.js';
export {
  type JidoCodeHome,
  type JidoCodeHomeOptions,
  type JidoCodeHomeSession,
  writeJidoCodeHome,
} from './jidocode/jidocode-home.js';
export { jidoCodeKey, jidoCodeSignature, shortHostname } from './jidocode/jidocode-key.js';
export {
  generateJidoCodeDocument,
  type JidoCodeDocument,
  type JidoCodeDocumentOptions,
  type JidoCodeSigning,
  microsecondTimestamp,
  randomUuid,
  renderJidoCodeFile,
} from './jidocode/jidocode-session.js';
export {
  type OpenAiStub,
  type StubRequest,
  type StubResponse,
  startOpenAiStub,
} from './openai-stub-server.js';
export {
  appendedClaudeTurn,
  appendedCodexTurn,
  appendedGeminiTurn,
  claudeFixtureCwd,
  codexFixtureCwd,
  geminiHashedProject,
  geminiMarkedProject,
  type PeerFixtures,
  peerJsonl,
  writePeerFixtures,
} from './peer-homes/index.js';
export { mulberry32 } from './prng.js';
export { type SecretSample, secretCorpus, secretCorpusRules, secretCorpusSeed } from './secret-corpus.js';
export { SessionFactory, type SessionFactoryOptions, type SessionOverrides } from './session-factory.js';
export { treeSnapshot } from './tree-snapshot.js';
export { type WaitForFileOptions, waitForFile } from './wait-for-file.js';
export {
  type LineInput,
  stdinLines,
  tsxCommand,
  type WorkerExit,
  WorkerProcess,
  type WorkerProcessOptions,
} from './worker-process.js';
