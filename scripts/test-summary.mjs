#!/usr/bin/env node
// Adds up every package's vitest JSON report into one closing line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dirs = ['packages', 'apps']
  .flatMap((base) =>
    (existsSync(join(root, base)) ? readdirSync(join(root, base)) : []).map((name) => join(root, base, name)),
  )
  .concat(join(root, 'test-support'));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) continue;
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
