import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type StopCause, StopSignals } from './stop-signals.js';

function harness() {
  const stops: StopCause[] = [];
  let notes = 0;
  const signals = new StopSignals({
    onStop: (cause) => stops.push(cause),
    onInterruptWhileClosing: () => {
      notes += 1;
    },
  });
  const emitter = new EventEmitter();
  signals.listen(emitter);
  return { signals, emitter, stops, notes: () => notes };
}

describe('StopSignals', () => {
  it('stops once, on the first SIGINT, SIGTERM or end of input', () => {
    const { signals, emitter, stops } = harness();
    expect(signals.stopping).toBe(false);
    emitter.emit('SIGTERM');
    emitter.emit('SIGINT');
    signals.request('end');
    expect(stops).toEqual(['SIGTERM']);
    expect(signals.stopping).toBe(true);
  });

  it('while closing, says so for each SIGINT and ignores SIGTERM and end of input', () => {
    const { signals, emitter, stops, notes } = harness();
    signals.beginClosing();
    emitter.emit('SIGINT');
    emitter.emit('SIGINT');
    emitter.emit('SIGTERM');
    signals.request('end');
    expect(stops).toEqual([]);
    expect(notes()).toBe(2);
  });

  it('stops listening when disposed', () => {
    const { signals, emitter, stops } = harness();
    expect(emitter.listenerCount('SIGINT')).toBe(1);
    signals.dispose();
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM')).toBe(0);
    emitter.emit('SIGINT');
    expect(stops).toEqual([]);
  });
});
