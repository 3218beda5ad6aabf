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

  it('while closing, says so for a second SIGINT only, and ignores SIGTERM and end of input', () => {
    const { signals, emitter, stops, notes } = harness();
    signals.request('end');
    signals.beginClosing();
    emitter.emit('SIGINT'); // the first: input had ended, jido is already saving; no note
    expect(notes()).toBe(0);
    emitter.emit('SIGINT');
    emitter.emit('SIGTERM');
    signals.request('end');
    expect(stops).toEqual(['end']);
    expect(notes()).toBe(1);
  });

  it('a SIGINT that stopped the shell makes the next one, while saving, get the note', () => {
    const { signals, emitter, stops, notes } = harness();
    emitter.emit('SIGINT');
    signals.beginClosing();
    emitter.emit('SIGINT');
    expect(stops).toEqual(['SIGINT']);
    expect(notes()).toBe(1);
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
