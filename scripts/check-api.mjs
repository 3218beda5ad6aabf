#!/usr/bin/env node
// API snapshots: the public surface of every entry point of every publishable package, as the
// TypeScript checker sees it from the sources, is written to `<package>/api/<entry>.api.txt` and
// checked in. A change to what a package exports (a name, a signature, a member, an option) is a
// visible diff of that file; this check fails until the snapshot is updated on purpose.
// Usage: node scripts/check-api.mjs            (exit 1 when a snapshot differs or is missing)
//        node scripts/check-api.mjs --update   (pnpm api:update: rewrite the snapshots)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const update = process.argv.includes('--update');
const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;

const packages = ['packages', 'apps']
  .flatMap((base) => readdirSync(join(root, base)).map((name) => join(root, base, name)))
  .concat(join(root, 'test-support'))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private && manifest.exports);

/** `[{ dir, name, file }]`: each entry point's source file, from the `@jido-code/source` condition. */
const entries = packages.flatMap(({ dir, manifest }) =>
  Object.entries(manifest.exports).map(([key, target]) => ({
    dir,
    name: key === '.' ? 'index' : key.slice(2).replaceAll('/', '-'),
    file: join(dir, target['@jido-code/source']),
  })),
);

const program = ts.createProgram(
  entries.map(({ file }) => file),
  {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@jido-code/source'],
    allowImportingTsExtensions: true,
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
);
const checker = program.getTypeChecker();

/** One line (or block) per exported name, sorted: the surface of one entry point. */
function surfaceOf(file) {
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return '(no exports)\n';
  const lines = checker
    .getExportsOfModule(moduleSymbol)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((symbol) => describe(symbol.name, resolveAlias(symbol), source));
  // The checker names a module the way the entry imports it, or, for one reached only through an
  // `export *`, by its source file (`./x.ts`): both are the same module, so `.js` is written.
  return `${lines.join('\n\n')}\n`.replace(/import\("(\.{1,2}\/[^"]*)\.ts"\)/g, 'import("$1.js")');
}

const resolveAlias = (symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

function describe(name, symbol, at) {
  const parts = [];
  const { flags } = symbol;
  if (flags & ts.SymbolFlags.Class) parts.push(describeClass(name, symbol, at));
  else if (flags & ts.SymbolFlags.Function) parts.push(...signatures(name, symbol, at, 'function'));
  else if (flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property))
    parts.push(`const ${name}: ${typeText(checker.getTypeOfSymbolAtLocation(symbol, at), at)}`);
  if (flags & ts.SymbolFlags.Interface) parts.push(describeInterface(name, symbol, at));
  if (flags & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const declaration = symbol.declarations?.[0];
    const written = declaration && ts.isTypeAliasDeclaration(declaration) ? declaration.type : undefined;
    const shown = written ? checker.getTypeFromTypeNode(written) : type;
    parts.push(`type ${name}${typeParameters(symbol)} = ${typeText(shown, at, true)}`);
  }
  if (flags & ts.SymbolFlags.Enum) parts.push(`enum ${name}`);
  return parts.length > 0 ? parts.join('\n') : `${name}: (unknown kind)`;
}

function typeParameters(symbol) {
  const declaration = symbol.declarations?.[0];
  const parameters = declaration?.typeParameters;
  return parameters ? `<${parameters.map((parameter) => parameter.getText()).join(', ')}>` : '';
}

function typeText(type, at, expand = false) {
  const expanded = expand ? flags | ts.TypeFormatFlags.InTypeAlias : flags;
  return checker.typeToString(type, at, expanded);
}

function signatures(name, symbol, at, keyword) {
  const type = checker.getTypeOfSymbolAtLocation(symbol, at);
  return type
    .getCallSignatures()
    .map((signature) => `${keyword} ${name}${checker.signatureToString(signature, at, flags)}`);
}

function members(type, at, indent) {
  return (
    checker
      .getPropertiesOfType(type)
      .filter((property) => !property.name.startsWith('#') && !property.name.startsWith('__'))
      // Members inherited from Node's or TypeScript's own types (Error's statics) are not ours.
      .filter((property) =>
        (property.declarations ?? []).every(
          (declaration) => !declaration.getSourceFile().fileName.includes('/node_modules/'),
        ),
      )
      .map((property) => {
        const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        const modifiers = declaration ? ts.getCombinedModifierFlags(declaration) : 0;
        if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return undefined;
        const readonly = modifiers & ts.ModifierFlags.Readonly ? 'readonly ' : '';
        const propertyType = checker.getTypeOfSymbolAtLocation(property, at);
        const calls = property.flags & ts.SymbolFlags.Method ? propertyType.getCallSignatures() : [];
        if (calls.length > 0)
          return calls
            .map(
              (call) => `${indent}${property.name}${optional}${checker.signatureToString(call, at, flags)}`,
            )
            .join('\n');
        return `${indent}${readonly}${property.name}${optional}: ${typeText(propertyType, at)}`;
      })
      .filter((line) => line !== undefined)
  );
}

function describeInterface(name, symbol, at) {
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const body = members(type, at, '  ');
  const calls = type.getCallSignatures().map((call) => `  ${checker.signatureToString(call, at, flags)}`);
  return `interface ${name}${typeParameters(symbol)} {\n${[...calls, ...body].join('\n')}\n}`;
}

function describeClass(name, symbol, at) {
  const instance = checker.getDeclaredTypeOfSymbol(symbol);
  const statics = checker.getTypeOfSymbolAtLocation(symbol, at);
  const constructors = statics
    .getConstructSignatures()
    .map(
      (signature) =>
        `  constructor${checker.signatureToString(signature, at, flags).replace(/: [^:]+$/, '')}`,
    );
  const staticMembers = members(statics, at, '  static ').filter((line) => !line.includes(' prototype: '));
  return `class ${name}${typeParameters(symbol)} {\n${[...constructors, ...staticMembers, ...members(instance, at, '  ')].join('\n')}\n}`;
}

const changed = [];
for (const { dir, name, file } of entries) {
  const snapshot = join(dir, 'api', `${name}.api.txt`);
  const header = `Public API of ${relative(root, file)} (generated by scripts/check-api.mjs; update with pnpm api:update)\n\n`;
  const text = header + surfaceOf(file);
  const current = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : undefined;
  if (current === text) continue;
  if (update) {
    mkdirSync(join(dir, 'api'), { recursive: true });
    writeFileSync(snapshot, text);
  }
  changed.push(relative(root, snapshot));
}
if (update)
  console.log(`api: ${changed.length} snapshot(s) updated${changed.length ? `: ${changed.join(', ')}` : ''}`);
else if (changed.length > 0) {
  console.log(
    `api: the public API differs from its snapshot in ${changed.join(', ')}.\n` +
      'If the change is intended, run `pnpm api:update` and commit the snapshot diff.',
  );
  process.exit(1);
} else console.log(`api: ok (${entries.length} entry points match their snapshots)`);
