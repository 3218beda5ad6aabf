/** The instructions every request starts with (the todos are added after them, see `systemWithTodos`). */
export function systemPrompt(session: { readonly name: string; readonly projectPath: string }): string {
  return [
    'You are jido, a coding assistant working in a terminal.',
    `The session "${session.name}" works in the project folder ${session.projectPath}.`,
    'Answer concisely; use Markdown code blocks for code.',
  ].join('\n');
}
