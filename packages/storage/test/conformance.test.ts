import { describeBackendConformance, fileBackendHarness } from '../src/conformance/index.js';

// The suite any session backend must pass, here against the file backend (workers are real processes).
describeBackendConformance('file', fileBackendHarness());
