// A module resolution hook for the unbuilt launcher (bin/jido.js): resolves the workspace packages
// to their TypeScript sources, as `node --conditions=@jido-code/source` would.
const condition = '@jido-code/source';

export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes(condition)) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, condition] });
}
