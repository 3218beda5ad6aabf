// Lets the CLI's entry (dist/jido-cli.js, what every command compiles first) start from V8's code
// cache (scripts/bundle.mjs). Node 20 has no compile cache for ES modules (module.enableCompileCache
// is Node 22), and compiling the entry was the largest single cost of `jido sessions list` after
// Node's own start. So the entry's code is turned into a script, dist/jido-cli.code.js (one function
// expression taking exports, require, module, the entry's URL and its import()), and
// dist/jido-cli.js becomes a small ES module that compiles that script with the cached data of
// dist/jido-cli.code.cache (scripts/code-cache.mjs) and exports what it exports, under the same names.
//
// The cache is used only if it is exactly for this script: the cache file holds a copy of the
// script's bytes, compared whole (a memory compare) with the script before V8 sees the data, so a
// cache left from another build is never used; V8 itself rejects data from another V8 version or
// other flags (then the script compiles as it would without a cache). A missing, short or foreign
// cache file is ignored the same way.
import { transform } from 'esbuild';

/** The cache file's first bytes; then the script's length (uint32 LE), its bytes, V8's data. */
export const cacheMagic = 'jido-code-cache-1';

/** Node's built-in modules the script requires, by the specifier it uses. */
function builtinsOf(code) {
  return [...new Set([...code.matchAll(/\brequire\("(node:[a-z_/]+)"\)/g)].map((match) => match[1]))];
}

/**
 * The script and the ES module that runs it, from `entryText` (the merged entry, an ES module).
 * `exportNames`: what the entry exports (the chunks import these from it).
 */
export async function compiledEntry(entryText, exportNames, buildOptions) {
  // A name the entry assigns after its definition would be copied once, not followed: refused.
  for (const name of exportNames) {
    const assignments = entryText.match(
      new RegExp(`(?<![\\w$.])${name.replaceAll('$', '\\$')}\\s*=(?![=>])`, 'g'),
    );
    if ((assignments?.length ?? 0) > 1)
      throw new Error(`compiled-entry: ${name} is assigned after its definition`);
  }
  const { code } = await transform(entryText, {
    ...buildOptions,
    format: 'cjs',
    platform: 'node',
    define: { 'import.meta.url': '__jidoUrl' },
  });
  // Only the chunks' own paths are imported dynamically; anything else is refused, not rewritten.
  const body = code.replace(/\bimport\((?="\.\.?\/[\w./-]+\.js"\))/g, '__jidoImport(');
  if (/\bimport\(|import\.meta/.test(body))
    throw new Error('compiled-entry: an import() or import.meta is left');
  const script = `(function (exports, require, module, __jidoUrl, __jidoImport) {"use strict";${body}\n})`;
  const builtins = builtinsOf(body);
  // The module's own names start with __jido: they share its scope with the exported names.
  const module = [
    "import { readFileSync as __jidoRead } from 'node:fs';",
    "import { createRequire as __jidoCreateRequire } from 'node:module';",
    "import { Script as __jidoScriptClass } from 'node:vm';",
    ...builtins.map((id, index) => `import * as __jidoBuiltin${index} from ${JSON.stringify(id)};`),
    `const __jidoBuiltins = new Map([${builtins.map((id, index) => `[${JSON.stringify(id)}, __jidoBuiltin${index}.default]`).join(', ')}]);`,
    'let __jidoRequired;',
    // What require() returns for a built-in module is its default export; anything else goes to Node.
    'const __jidoRequire = (id) => __jidoBuiltins.get(id) ?? (__jidoRequired ??= __jidoCreateRequire(import.meta.url))(id);',
    // In a function: the file's bytes and the cache are garbage once the script is compiled.
    'function __jidoCompile() {',
    `  const magic = ${JSON.stringify(cacheMagic)};`,
    "  const source = __jidoRead(new URL('./jido-cli.code.js', import.meta.url));",
    '  let cachedData;',
    '  try {',
    "    const cache = __jidoRead(new URL('./jido-cli.code.cache', import.meta.url));",
    '    const start = magic.length + 4;',
    '    if (',
    '      cache.length > start + source.length &&',
    "      cache.toString('latin1', 0, magic.length) === magic &&",
    '      cache.readUInt32LE(magic.length) === source.length &&',
    '      cache.subarray(start, start + source.length).equals(source)',
    '    )',
    '      cachedData = cache.subarray(start + source.length);',
    '  } catch {}',
    "  return new __jidoScriptClass(source.toString('utf8'), {",
    "    filename: new URL('./jido-cli.code.js', import.meta.url).pathname,",
    '    cachedData,',
    '  });',
    '}',
    'const __jidoScript = __jidoCompile();',
    'const __jidoModule = { exports: {} };',
    '__jidoScript.runInThisContext()(__jidoModule.exports, __jidoRequire, __jidoModule, import.meta.url, (specifier) => import(specifier));',
    `export const { ${exportNames.join(', ')} } = __jidoModule.exports;`,
    // For scripts/code-cache.mjs: the compiled script, to serialize after a run.
    'export { __jidoScript };',
    '',
  ].join('\n');
  return { script, module };
}
