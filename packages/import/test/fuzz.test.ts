import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { unsignedSessionSchema } from '@jido-code/core-schema/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileReasons, type ImportTool, importSessions, skipReasons } from '../src/index.js';
import { fixtureHome } from './helpers.js';

/** One way to damage a file, as a writer crash, a disk or a hand edit might. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('json-line' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(bytes: Buffer, change: Mutation): Buffer {
  const at = bytes.length === 0 ? 0 : change.at % bytes.length;
  const lines = bytes.toString('latin1').split('\n');
  const line = lines.length === 0 ? 0 : change.at % lines.length;
  const joined = () => Buffer.from(lines.join('\n'), 'latin1');
  switch (change.kind) {
    case 'flip':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([change.value]), bytes.subarray(at + 1)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(change.bytes), bytes.subarray(at)]);
    case 'duplicate-line':
      lines.splice(line, 0, lines[line] ?? '');
      return joined();
    case 'drop-line':
      lines.splice(line, 1);
      return joined();
    case 'swap-lines': {
      const other = change.with % Math.max(1, lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return joined();
    }
    case 'json-line':
      lines.splice(line, 0, Buffer.from(JSON.stringify(change.value) ?? 'null').toString('latin1'));
      return joined();
  }
}

const tools: { tool: ImportTool; key: 'claude' | 'codex' | 'gemini' }[] = [
  { tool: 'claude-code', key: 'claude' },
  { tool: 'codex', key: 'codex' },
  { tool: 'gemini', key: 'gemini' },
];

describe('fuzz: mutated fixtures never throw and give only documented outcomes', () => {
  it.each(tools)('$tool', async ({ tool, key }) => {
    const { home, fixtures } = fixtureHome();
    const sources = Object.values(fixtures[key]).map((path) => ({ path, bytes: readFileSync(path) }));
    const documentedSkips = new Set<string>(skipReasons);
    const documentedReasons = new Set<string>(fileReasons.filter((reason) => reason !== 'reader_error'));
    let imported = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (pick, changes) => {
          const source = sources[pick % sources.length];
          if (!source) return;
          const target = join(home, `mutated${extname(source.path)}`);
          writeFileSync(target, changes.reduce(apply, source.bytes));
          for await (const item of importSessions(tool, { path: target, userHome: home, env: {} })) {
            const { report } = item;
            expect(['imported', 'skipped', 'failed']).toContain(report.status);
            if (report.reason !== undefined) expect(documentedReasons).toContain(report.reason);
            for (const reason of Object.keys(report.skipped)) expect(documentedSkips).toContain(reason);
            if (item.session) {
              imported += 1;
              expect(report.status).toBe('imported');
              expect(unsignedSessionSchema.safeParse(item.session).success).toBe(true);
            } else expect(report.status).not.toBe('imported');
          }
        },
      ),
      { numRuns: 300, seed: Number(process.env.JIDO_FUZZ_SEED ?? 20261130) },
    );
    expect(imported).toBeGreaterThan(0);
  });
});
