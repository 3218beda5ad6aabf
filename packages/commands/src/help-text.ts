import { type HelpTopic, helpTopics } from './command.js';
import { type CommandForm, commandForms } from './command-forms.js';

const targetNote =
  'A <target> is a number from the list, a session id, the first 4 or more characters of an id, or a session name.';
const messageNote =
  'Any line not starting with / is a message to the active session; start it with // to send a leading /.';

/**
 * The shell's command reference: one line per command form (usage, then what it does), grouped by
 * topic, with a note on targets and messages. With a `topic`, only that group. Built from
 * {@link commandForms}, the same table usage errors quote, so help and parser cannot drift apart.
 */
export function helpText(topic?: HelpTopic): string {
  const forms = Object.values(commandForms).filter((form) => topic === undefined || form.topic === topic);
  const usageWidth = Math.max(...forms.map((form) => form.usage.length));
  const line = (form: CommandForm): string => `  ${form.usage.padEnd(usageWidth)}  ${form.summary}`;
  const sections = helpTopics
    .filter((candidate) => topic === undefined || candidate === topic)
    .map((candidate) =>
      forms
        .filter((form) => form.topic === candidate)
        .map(line)
        .join('\n'),
    );
  const notes = [
    ...(topic === undefined || topic === 'session' || topic === 'resume' ? [targetNote] : []),
    ...(topic === undefined ? [messageNote] : []),
  ];
  return [topic === undefined ? 'Commands:' : `Commands (${topic}):`, ...sections, ...notes].join('\n');
}
