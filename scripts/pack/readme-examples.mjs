// README examples are tests: every ```ts fence of a package README is extracted, type-checked
// against the installed tarballs and executed. Two HTML comments (invisible on the rendered page)
// may precede a fence:
//   <!-- example-setup          code prepended to the example (fixtures it needs)
//   ...code...
//   -->
//   <!-- example: not runnable: the reason -->
// An example that imports `vitest` runs as a vitest test file; the others run with node.
import { readFileSync } from 'node:fs';

const fence = /^```ts\s*$/;

/** The examples of one README, in order: `{ line, code, runnable, reason }`. */
export function extractExamples(readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const examples = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!fence.test(lines[index])) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
    const body = lines.slice(index + 1, end).join('\n');
    const { setup, reason } = commentsBefore(lines, index);
    examples.push({
      line: index + 1,
      // `export {}` makes every example a module, so examples never share top-level names.
      code: `${setup ? `${setup}\n` : ''}${body}\nexport {};\n`,
      runnable: reason === undefined,
      reason,
      vitest: /from '(vitest|@jido-code\/test-support\/vitest)'/.test(`${setup ?? ''}\n${body}`),
    });
    index = end;
  }
  return examples;
}

/** The example-setup block and not-runnable marker directly above the fence at `index`. */
function commentsBefore(lines, index) {
  let setup;
  let reason;
  let at = index - 1;
  while (at >= 0 && lines[at].trim() === '') at -= 1;
  for (;;) {
    const marker = /^<!-- example: not runnable: (.+) -->$/.exec(lines[at]?.trim() ?? '');
    if (marker) {
      reason = marker[1];
      at -= 1;
    } else if (lines[at]?.trim() === '-->') {
      const start = lines.lastIndexOf('<!-- example-setup', at);
      if (start < 0) break;
      setup = lines.slice(start + 1, at).join('\n');
      at = start - 1;
    } else break;
    while (at >= 0 && lines[at].trim() === '') at -= 1;
  }
  return { setup, reason };
}
