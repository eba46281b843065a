import { describe, expect, it } from 'vitest';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import { pinStarts } from '../../src/checkpoint/pinStarts.js';
import { startPositionFor } from '../../src/checkpoint/startPositionFor.js';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');
const state: CheckpointState = {
  version: 1,
  starts: { s: { atTimestamp: '2026-01-01T00:00:00.000Z' }, t: 'TRIM_HORIZON' },
  shards: {
    's/plain': { sequenceNumber: '100' },
    's/aggregated': { sequenceNumber: '200', subSequenceNumber: 3 },
    's/closed': { sequenceNumber: '300', finished: true },
    's/parent': { sequenceNumber: '400' },
    's/child': { sequenceNumber: '500', parentShardIds: ['parent'] },
    't/started-child': { parentShardIds: ['t-parent'], finished: true },
  },
};

describe('pinStarts', () => {
  it('pins LATEST to AT_TIMESTAMP of now, keeps TRIM_HORIZON and AT_TIMESTAMP', () => {
    const empty: CheckpointState = { version: 1, starts: {}, shards: {} };
    expect(pinStarts(empty, ['a'], { type: 'LATEST' }, NOW).starts).toEqual({
      a: { atTimestamp: '2026-01-02T03:04:05.678Z' },
    });
    expect(pinStarts(empty, ['a'], { type: 'TRIM_HORIZON' }, NOW).starts).toEqual({
      a: 'TRIM_HORIZON',
    });
    expect(
      pinStarts(empty, ['a'], { type: 'AT_TIMESTAMP', timestamp: new Date(5000) }, NOW).starts,
    ).toEqual({ a: { atTimestamp: '1970-01-01T00:00:05.000Z' } });
  });

  it('keeps the pinned start of streams the state knows; the new initial position is only for new streams', () => {
    const pinned = pinStarts(state, ['s', 'new'], { type: 'LATEST' }, NOW);
    expect(pinned.starts['s']).toEqual({ atTimestamp: '2026-01-01T00:00:00.000Z' });
    expect(pinned.starts['new']).toEqual({ atTimestamp: '2026-01-02T03:04:05.678Z' });
    expect(state.starts['new']).toBeUndefined(); // input unchanged
  });
});

describe('startPositionFor', () => {
  it('continues after a stored position', () => {
    expect(startPositionFor(state, 's', 'plain')).toEqual({
      type: 'AFTER_SEQUENCE_NUMBER',
      sequenceNumber: '100',
    });
  });

  it('continues inside an aggregated record after the stored sub-record', () => {
    expect(startPositionFor(state, 's', 'aggregated')).toEqual({
      type: 'AT_SEQUENCE_NUMBER',
      sequenceNumber: '200',
      afterSubSequenceNumber: 3,
    });
  });

  it('never re-reads a finished shard, nor a parent whose child has progress', () => {
    expect(startPositionFor(state, 's', 'closed')).toBe('finished');
    expect(startPositionFor(state, 's', 'parent')).toBe('finished');
    expect(startPositionFor(state, 't', 't-parent')).toBe('finished');
  });

  it('starts a shard with no position at the stream’s pinned start', () => {
    expect(startPositionFor(state, 's', 'unknown')).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: new Date('2026-01-01T00:00:00.000Z'),
    });
    expect(startPositionFor(state, 't', 'unknown')).toEqual({ type: 'TRIM_HORIZON' });
  });

  it('refuses a stream without a pinned start, naming it', () => {
    expect(() => startPositionFor(state, 'nope', 'x')).toThrow(/"nope"/);
  });

  it('survives a JSON round trip unchanged', () => {
    const copy = JSON.parse(JSON.stringify(state)) as CheckpointState;
    for (const [stream, shard] of [
      ['s', 'plain'],
      ['s', 'aggregated'],
      ['s', 'closed'],
      ['s', 'unknown'],
    ] as const) {
      expect(startPositionFor(copy, stream, shard)).toEqual(startPositionFor(state, stream, shard));
    }
  });
});
