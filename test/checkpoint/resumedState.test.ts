import { filter, firstValueFrom, map, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { readKinesis } from '../../src/source/readKinesis.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const FIRST_SHARD = '0'; // explicit hash key of shard 0 of 2
const stateWith = (kinesis: FakeKinesis): CheckpointState => {
  const zero = kinesis.put('s', 'a', 'old zero', FIRST_SHARD);
  const one = kinesis.put('s', 'b', 'old one', String(2n ** 127n + 1n));
  return {
    version: 1,
    starts: { s: 'TRIM_HORIZON' },
    shards: {
      's/shardId-000000000000': { sequenceNumber: zero.sequenceNumber },
      's/shardId-000000000001': { sequenceNumber: one.sequenceNumber },
    },
  };
};

describe('checkpoints() after a resumed reading keeps what the reading resumed from', () => {
  it('a shard with no record in this run keeps its position, with no initial given', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('s', 2);
    const resumed = stateWith(kinesis);
    kinesis.put('s', 'a', 'new zero', FIRST_SHARD);
    // as it is, and as a worker thread or structuredClone would hand it on
    const copies: Array<<T>(value: T) => T> = [(value) => value, (value) => structuredClone(value)];
    for (const copy of copies) {
      const states = await firstValueFrom(
        fromKinesis({ stream: 's', client: kinesis, checkpoint: resumed }).pipe(
          map(copy),
          checkpoints(),
          take(1),
          toArray(),
        ),
      );
      const state = JSON.parse(JSON.stringify(states[0])) as CheckpointState;
      expect(state.shards['s/shardId-000000000001']).toEqual(
        resumed.shards['s/shardId-000000000001'],
      );
      expect(state.shards['s/shardId-000000000000']?.sequenceNumber).not.toBe(
        resumed.shards['s/shardId-000000000000']?.sequenceNumber,
      );
      expect(state.starts).toEqual({ s: 'TRIM_HORIZON' });
    }
  });

  it('readKinesis: the first state (after a shardStarted) already holds every resumed position', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('s', 2);
    const resumed = stateWith(kinesis);
    const first = await firstValueFrom(
      readKinesis({ stream: 's', client: kinesis, checkpoint: resumed }).pipe(checkpoints()),
    );
    expect(JSON.parse(JSON.stringify(first))).toEqual(resumed);
  });

  it('a fresh reading carries nothing extra on its records', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('s', 1);
    kinesis.put('s', 'a', 'x');
    const record = await firstValueFrom(
      fromKinesis({ stream: 's', client: kinesis, initialPosition: 'TRIM_HORIZON' }).pipe(
        filter(() => true),
      ),
    );
    expect((record as { shard?: { resumed?: unknown } }).shard?.resumed).toBeUndefined();
  });
});
