#!/usr/bin/env node
// Keeps production source files small (docs/architecture.md, "one concept per file"): a file over
// 400 lines fails. Production sources are the `src/` folders of the packages and apps, test-support,
// bench and scripts; tests (`*.test.ts`, `test/` folders) are not counted. Functions over 80 lines
// are caught by biome's noExcessiveLinesPerFunction (biome.json).
// Usage: node scripts/check-size.mjs [repo-root]   (exit 1 when a file is over the limit)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const maxLines = 400;
const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const skipped = new Set(['node_modules', 'dist', '.turbo', 'test', 'results']);

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skipped.has(name)) yield* sourceFiles(path);
    } else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name) && !/\.test\.|\.d\.ts$/.test(name)) {
      yield path;
    }
  }
}

const roots = ['packages', 'apps']
  .flatMap((base) =>
    existsSync(join(root, base))
      ? readdirSync(join(root, base)).map((name) => join(root, base, name, 'src'))
      : [],
  )
  .concat([join(root, 'test-support', 'src'), join(root, 'bench', 'src'), join(root, 'scripts')]);

const over = [];
let files = 0;
for (const dir of roots) {
  for (const file of sourceFiles(dir)) {
    files += 1;
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > maxLines) over.push(`${relative(root, file)}: ${lines} lines`);
  }
}
if (over.length > 0) {
  console.error(
    `size: ${over.length} production source file(s) over ${maxLines} lines; split them by concern:`,
  );
  for (const line of over) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`size: ok (${files} production source files, none over ${maxLines} lines)`);
