import { SessionFactory } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { jsonExport, markdownTranscript } from './transcript.js';

describe('markdownTranscript', () => {
  it('has the title, metadata, todos and every message with role and time', () => {
    const { signature: _signature, ...session } = new SessionFactory({ seed: 5 }).session({
      name: 'api\nserver',
      messageCount: 3,
      todoCount: 2,
    });
    const text = markdownTranscript(session);
    expect(text.startsWith('# api server\n\n- Id: `')).toBe(true);
    expect(text).toContain(`- Project: \`${session.project_path}\``);
    expect(text).toContain('- Model: offline / echo-1');
    expect(text).toContain(`- Closed: ${session.closed_at}`);
    expect(text).toContain('- Messages: 3');
    expect(text).toContain('## Todos\n\n- [ ] Todo ');
    for (const message of session.conversation) {
      expect(text).toContain(`· ${message.timestamp}\n\n${message.content}\n`);
    }
    expect(text.match(/^### User/gm)).toHaveLength(2);
    expect(text.match(/^### Assistant/gm)).toHaveLength(1);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says so when there are no todos or messages; json export round-trips', () => {
    const { signature: _signature, ...session } = new SessionFactory({ seed: 6 }).session({
      messageCount: 0,
      todoCount: 0,
    });
    expect(markdownTranscript(session)).toContain('## Todos\n\nNo todos.\n\n## Messages\n\nNo messages.\n');
    expect(JSON.parse(jsonExport(session))).toEqual(session);
  });
});
