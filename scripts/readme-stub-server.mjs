#!/usr/bin/env node
// The local model server behind README transcripts marked `stub=NAME` (see readme-transcripts.mjs):
// an OpenAI-compatible Chat Completions endpoint on 127.0.0.1 (`POST /v1/chat/completions`,
// streamed as server-sent events, as llama.cpp, Ollama and vLLM serve it) that replays the fixed
// replies of `scripts/readme-stubs/NAME.json` in order, the last one repeating. It never calls a
// provider. It writes its port to PORTFILE once listening and runs until it is killed.
// Usage: node scripts/readme-stub-server.mjs REPLIES.json PORTFILE
// REPLIES.json: [{ "chunks": ["text", …], "usage": { "prompt_tokens": N, "completion_tokens": N } }, …]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [repliesFile, portFile] = process.argv.slice(2);
const replies = JSON.parse(readFileSync(repliesFile, 'utf8'));
let served = 0;

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const reply = replies[Math.min(served++, replies.length - 1)];
    const event = (choices, extra = {}) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-readme', object: 'chat.completion.chunk', created: 1, model: 'readme-stub', choices, ...extra })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    reply.chunks.forEach((content, index) => {
      const delta = index === 0 ? { role: 'assistant', content } : { content };
      response.write(event([{ index: 0, delta, finish_reason: null }]));
    });
    response.write(event([{ index: 0, delta: {}, finish_reason: 'stop' }]));
    if (reply.usage !== undefined) {
      const { prompt_tokens, completion_tokens } = reply.usage;
      response.write(
        event([], {
          usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
        }),
      );
    }
    response.end('data: [DONE]\n\n');
  });
});

server.listen(0, '127.0.0.1', () => {
  // Written whole under a temporary name, so the waiting script never reads half a number.
  writeFileSync(`${portFile}.tmp`, String(server.address().port));
  renameSync(`${portFile}.tmp`, portFile);
});
