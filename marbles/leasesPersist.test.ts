// persistCheckpoints(leases) through a steal, in virtual time: the loss of a
// lease is routine, not the end of the reading. Saves are Promises, so the
// scheduler runs in steps with the microtasks drained in between.
import { type Subscription, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { checkpoints } from '../src/checkpoint/checkpoints.js';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import { persistCheckpoints } from '../src/checkpoint/persistCheckpoints.js';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import type { LeaseLostError } from '../src/lease/errors.js';
import type { LeaseCoordinator } from '../src/lease/LeaseCoordinator.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { FakeDynamoDB } from '../src/testing/FakeDynamoDB.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const TABLE = 'app';

interface Reading {
  readonly leases: LeaseCoordinator;
  readonly subscription: Subscription;
  readonly saved: CheckpointState[];
  readonly losses: Array<{ error: LeaseLostError; at: number }>;
  error?: unknown;
}

function reading(
  id: string,
  kinesis: FakeKinesis,
  dynamodb: FakeDynamoDB,
  scheduler: TestScheduler,
): Reading {
  const leases = dynamoDBLeases({
    tableName: TABLE,
    workerId: id,
    failoverTimeMs: 3000,
    dynamodb: { client: dynamodb },
  });
  const r: Reading = {
    leases,
    saved: [],
    losses: [],
    subscription: undefined as unknown as Subscription,
  };
  leases.losses.subscribe((error) => r.losses.push({ error, at: scheduler.now() }));
  (r as { subscription: Subscription }).subscription = fromKinesis(
    { stream: 's', client: kinesis, initialPosition: 'TRIM_HORIZON', leases },
    scheduler,
  )
    .pipe(
      checkpoints(),
      persistCheckpoints(leases, { intervalMs: 200 }, scheduler),
      tap((state) => r.saved.push(state)),
    )
    .subscribe({
      error: (error: unknown) => {
        r.error = error;
      },
    });
  return r;
}

/** Runs the scheduler up to `until`, `stepMs` at a time, letting settled saves go on between steps. */
async function runUntil(scheduler: TestScheduler, until: number, stepMs = 10): Promise<void> {
  for (let t = scheduler.now() + stepMs; t <= until; t += stepMs) {
    scheduler.maxFrames = t;
    scheduler.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const checkpointOf = (dynamodb: FakeDynamoDB, shardId: string): string | undefined =>
  dynamodb.item(TABLE, shardId)?.['checkpoint']?.S;

describe('persistCheckpoints(leases) (virtual time)', () => {
  it('a steal does not end the reading: the loser reports the loss, stops that shard, and saves the shards it still holds', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const kinesis = new FakeKinesis({ scheduler });
    kinesis.createStream('s', 4);
    const dynamodb = new FakeDynamoDB({ scheduler });
    // records on every shard all the time
    for (let t = 0; t < 6000; t += 100) {
      scheduler.schedule(() => {
        for (let i = 0; i < 8; i += 1) kinesis.put('s', `k${i}`, `v${t}`);
      }, t);
    }
    const w1 = reading('w1', kinesis, dynamodb, scheduler);
    let w2!: Reading;
    scheduler.schedule(() => {
      w2 = reading('w2', kinesis, dynamodb, scheduler);
    }, 500);

    await runUntil(scheduler, 3000);
    // the saves that met the stolen leases did not end either reading
    expect(w1.error).toBeUndefined();
    // w2 stole two (one per scan, at 500 and 1500); w1 saw each at its next write to the lease
    // (here a checkpoint, 100 ms later; at the latest its renewal, within one renewal period)
    expect(w1.leases.heldShards()).toHaveLength(2);
    expect(w2.leases.heldShards()).toHaveLength(2);
    expect(w1.losses.map((l) => l.at)).toEqual([600, 1600]);
    const lost = w1.losses.map((l) => l.error.shardId);
    const kept = w1.leases
      .heldShards()
      .map((h) => h.shardId)
      .sort();
    const keptCheckpoints = kept.map((s) => checkpointOf(dynamodb, s));

    await runUntil(scheduler, 5000);
    // still reading and saving: no error, saves after the losses, the kept shards' positions moving on
    expect(w1.error).toBeUndefined();
    expect(w2.error).toBeUndefined();
    expect(w1.subscription.closed).toBe(false);
    expect(w1.saved.length).toBeGreaterThan(10);
    const moved = kept.map((s) => checkpointOf(dynamodb, s));
    kept.forEach((s, i) => {
      expect(moved[i]).toMatch(/^\d+$/);
      expect(moved[i]).not.toBe(keptCheckpoints[i]);
    });
    // w1 tried no write on a lost lease after the failed one that told it of the loss
    for (const shard of lost) {
      const item = dynamodb.item(TABLE, shard);
      expect(item?.['leaseOwner']?.S).toBe('w2');
      const w1Writes = dynamodb
        .callsOf('UpdateItemCommand')
        .filter(
          (c) =>
            (c.input['Key'] as { leaseKey: { S: string } }).leaseKey.S === shard &&
            JSON.stringify(c.input['ExpressionAttributeValues']).includes('"w1"') &&
            c.at > (w1.losses.find((l) => l.error.shardId === shard)?.at ?? 0),
        );
      expect(w1Writes).toEqual([]);
    }

    w2.subscription.unsubscribe();
    w1.subscription.unsubscribe();
    await runUntil(scheduler, 5500);
    await w1.leases.close();
    await w2.leases.close();
  });
});
