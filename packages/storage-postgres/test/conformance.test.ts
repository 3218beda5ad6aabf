import { describeBackendConformance } from '@jido-code/storage/conformance';
import { postgresHarness, testDatabase } from './support/database.js';

// The same suite as the file backend, against the run's server (real PostgreSQL or PGlite).
describeBackendConformance(`postgres (${testDatabase().kind})`, postgresHarness());
