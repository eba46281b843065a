import { from, lastValueFrom, scan, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { advanceCheckpoint } from '../../src/checkpoint/advanceCheckpoint.js';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import {
  type CheckpointState,
  CheckpointState as CheckpointStateCodec,
  emptyCheckpointState,
} from '../../src/checkpoint/CheckpointState.js';
import type { KinesisRecord } from '../../src/record.js';
import type { KinesisEvent } from '../../src/source/ShardEvent.js';
import { shardRecordPrototype } from '../../src/source/shardContext.js';

// A seeded generator, so a failure names a reproducible sequence.
function randomFrom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function events(seed: number, count: number, shards: number): KinesisEvent[] {
  const random = randomFrom(seed);
  const prototypes = Array.from({ length: shards }, (_, i) =>
    shardRecordPrototype({
      pinnedStart: i % 2 === 0 ? 'TRIM_HORIZON' : { atTimestamp: '2026-11-22T00:00:00.000Z' },
      parentShardIds: i >= 2 ? [`shardId-${i - 2}`] : [],
    }),
  );
  const out: KinesisEvent[] = [];
  for (let n = 0; n < count; n++) {
    const shard = Math.floor(random() * shards);
    const stream = shard % 3 === 0 ? 'a' : 'b';
    const roll = random();
    if (roll < 0.05) {
      out.push({ type: 'shardFinished', stream, shardId: `shardId-${shard}`, childShards: [] });
    } else if (roll < 0.1) {
      out.push({
        type: 'shardStarted',
        stream,
        shardId: `shardId-${shard}`,
        parentShardIds: shard >= 1 ? [`shardId-${shard - 1}`] : [],
        pinnedStart: 'TRIM_HORIZON',
      });
    } else {
      const record = Object.create(prototypes[shard] as object) as Record<string, unknown>;
      Object.assign(record, {
        stream,
        shardId: `shardId-${shard}`,
        sequenceNumber: String(1000 + n),
        partitionKey: 'k',
        data: new Uint8Array(0),
        approximateArrivalTimestamp: new Date(0),
        ...(roll < 0.3 ? { subSequenceNumber: n % 7 } : {}),
      });
      out.push(record as unknown as KinesisRecord);
    }
  }
  return out;
}

describe('checkpoints() (snapshot + change log) equals scan(advanceCheckpoint)', () => {
  for (const [seed, shards] of [
    [1, 3],
    [2, 40],
    [3, 400],
  ] as const) {
    it(`emits the same states, read late and in any order (seed ${seed}, ${shards} shards)`, async () => {
      const input = events(seed, 3000, shards);
      const initial: CheckpointState = {
        ...emptyCheckpointState(),
        shards: { 'a/shardId-0': { sequenceNumber: '5' } },
      };
      const expected = await lastValueFrom(
        from(input).pipe(scan(advanceCheckpoint, initial), toArray()),
      );
      const actual = await lastValueFrom(from(input).pipe(checkpoints(initial), toArray()));
      expect(actual).toHaveLength(expected.length);
      // Read in a shuffled order, long after emission: each state still shows its own moment.
      const random = randomFrom(seed + 100);
      const step = shards > 100 ? 37 : 1;
      const order = actual
        .map((_, i) => i)
        .filter((i) => i % step === 0 || i === actual.length - 1)
        .sort(() => random() - 0.5);
      for (const i of order) {
        expect(JSON.parse(JSON.stringify(actual[i]))).toEqual(
          JSON.parse(JSON.stringify(expected[i])),
        );
      }
      expect(CheckpointStateCodec.is(actual[actual.length - 1])).toBe(true);
      // the initial state is not changed
      expect(initial.shards).toEqual({ 'a/shardId-0': { sequenceNumber: '5' } });
    });
  }

  it('builds a state once and then holds plain data', async () => {
    const [first] = await lastValueFrom(from(events(9, 1, 2)).pipe(checkpoints(), toArray()));
    const state = first as CheckpointState;
    const shards = state.shards;
    expect(state.shards).toBe(shards);
    expect(Object.getOwnPropertyDescriptor(state, 'shards')?.get).toBeUndefined();
    expect({ ...state }).toEqual({ version: 1, starts: state.starts, shards });
  });
});
