import { type Subscription, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import type { DynamoDBPort } from '../src/dynamodb/DynamoDBPort.js';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import { LeaseLostError } from '../src/lease/errors.js';
import type { LeaseCoordinator } from '../src/lease/LeaseCoordinator.js';
import type { KinesisRecord } from '../src/record.js';
import { type KinesisEvent, isShardEvent } from '../src/source/ShardEvent.js';
import { readKinesis } from '../src/source/readKinesis.js';
import { FakeDynamoDB } from '../src/testing/FakeDynamoDB.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const TABLE = 'app';
const FAILOVER = 3000;
const RENEWAL = 1000;

interface PortCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

/** A port that logs what one worker sends, and can go silent (a crashed process). */
function workerPort<P extends { send: unknown }>(
  target: P,
  scheduler: TestScheduler,
): { port: P; calls: PortCall[]; crash: () => void } {
  const calls: PortCall[] = [];
  let crashed = false;
  const hang: PromiseLike<never> = { then: () => hang };
  const port = {
    send: (command: { input: Record<string, unknown> }, options: unknown) => {
      if (crashed) return hang;
      calls.push({ command: command.constructor.name, input: command.input, at: scheduler.now() });
      return (target.send as (c: unknown, o: unknown) => unknown).call(target, command, options);
    },
  } as unknown as P;
  return { port, calls, crash: () => (crashed = true) };
}

interface Worker {
  readonly leases: LeaseCoordinator;
  readonly events: KinesisEvent[];
  /** When each event arrived. */
  readonly times: number[];
  readonly kinesisCalls: PortCall[];
  readonly dynamoCalls: PortCall[];
  subscription?: Subscription;
  crash(): void;
  held(): string[];
}

function worker(
  id: string,
  kinesis: FakeKinesis,
  dynamodb: FakeDynamoDB,
  scheduler: TestScheduler,
  config: Record<string, unknown> = {},
): Worker {
  const k = workerPort<KinesisPort>(kinesis, scheduler);
  const d = workerPort<DynamoDBPort>(dynamodb, scheduler);
  const leases = dynamoDBLeases({
    tableName: TABLE,
    workerId: id,
    failoverTimeMs: FAILOVER,
    dynamodb: { client: d.port },
  });
  const events: KinesisEvent[] = [];
  const times: number[] = [];
  const w: Worker = {
    leases,
    events,
    times,
    kinesisCalls: k.calls,
    dynamoCalls: d.calls,
    crash: () => {
      k.crash();
      d.crash();
    },
    held: () =>
      leases
        .heldShards()
        .map((s) => s.shardId)
        .sort(),
  };
  w.subscription = readKinesis(
    { stream: 's', client: k.port, initialPosition: 'TRIM_HORIZON', leases, ...config },
    scheduler,
  ).subscribe({
    next: (event) => {
      events.push(event);
      times.push(scheduler.now());
    },
    error: (error: unknown) => {
      events.push({ error } as unknown as KinesisEvent);
      times.push(scheduler.now());
    },
  });
  return w;
}

const at = (scheduler: TestScheduler, time: number, work: () => void): void => {
  scheduler.schedule(work, time - scheduler.now());
};
const recordsOf = (w: Worker): KinesisRecord[] =>
  w.events.filter((e): e is KinesisRecord => !isShardEvent(e) && 'partitionKey' in e);
const owners = (dynamodb: FakeDynamoDB): Record<string, string | undefined> =>
  Object.fromEntries(
    dynamodb.items(TABLE).map((item) => [item['leaseKey']?.S, item['leaseOwner']?.S]),
  );
const shardId = (n: number): string => `shardId-${String(n).padStart(12, '0')}`;

describe('leases (virtual time, FakeKinesis + FakeDynamoDB)', () => {
  it('take: one worker creates the missing table and a lease per shard, takes them all and reads them', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      for (let i = 0; i < 8; i += 1) kinesis.put('s', `k${i}`, `v${i}`);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 500, () => {
        expect(w1.held()).toEqual([0, 1, 2, 3].map(shardId));
        w1.subscription?.unsubscribe();
      });
      flush();
      expect(dynamodb.callsOf('CreateTableCommand')[0]?.input).toMatchObject({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      expect(
        recordsOf(w1)
          .map((r) => r.partitionKey)
          .sort(),
      ).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
      // exactly the KCL's attribute names and types (plus ours, prefixed)
      const item = dynamodb.item(TABLE, shardId(0));
      expect(Object.keys(item ?? {}).sort()).toEqual(
        [
          'checkpoint',
          'checkpointSubSequenceNumber',
          'endingHashKey',
          'leaseCounter',
          'leaseKey',
          'ownerSwitchesSinceCheckpoint',
          'rxKinesisPinnedStart',
          'rxKinesisStream',
          'startingHashKey',
        ].sort(),
      );
      expect(item).toMatchObject({
        leaseKey: { S: shardId(0) },
        leaseCounter: { N: expect.any(String) },
        checkpoint: { S: 'TRIM_HORIZON' },
        checkpointSubSequenceNumber: { N: '0' },
        ownerSwitchesSinceCheckpoint: { N: '1' },
        startingHashKey: { S: expect.any(String) },
        endingHashKey: { S: expect.any(String) },
        rxKinesisPinnedStart: { S: 'TRIM_HORIZON' },
        rxKinesisStream: { S: 's' },
      });
    });
  });

  it('renew: the counter of every held lease goes up once per renewal interval (failover / 3)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 2);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      let renewals = 0;
      at(scheduler, 9500, () => {
        const counters = dynamodb.items(TABLE).map((i) => Number(i['leaseCounter']?.N));
        // taken at 0 (counter 1), renewed at 1000, 2000, ..., 9000
        expect(counters).toEqual([10, 10]);
        renewals = w1.dynamoCalls.filter(
          (c) =>
            c.command === 'UpdateItemCommand' &&
            String(c.input['UpdateExpression']) === 'SET #s0 = :s0',
        ).length;
        expect(owners(dynamodb)).toEqual({ [shardId(0)]: 'w1', [shardId(1)]: 'w1' });
        w1.subscription?.unsubscribe();
      });
      flush();
      expect(renewals).toBe(18);
    });
  });

  it('steal: a second worker steals one lease per round toward an even count; the loser stops reading at once and cannot checkpoint', async () => {
    const scheduler = testScheduler();
    let w1!: Worker;
    let w2!: Worker;
    let lostShard = '';
    let lostSequenceNumber = '';
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      const dynamodb = new FakeDynamoDB({ scheduler });
      // records on every shard all the time: a zombie reader would keep getting some
      for (let t = 0; t < 6000; t += 100) {
        at(scheduler, t, () => {
          for (let i = 0; i < 8; i += 1) kinesis.put('s', `k${i}`, `v${t}`);
        });
      }
      w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 500, () => {
        w2 = worker('w2', kinesis, dynamodb, scheduler);
      });
      at(scheduler, 600, () => {
        expect(w2.held()).toHaveLength(1);
        lostShard = w2.held()[0] as string;
      });
      at(scheduler, 1600, () => {
        expect(w2.held()).toHaveLength(2);
      });
      at(scheduler, 2100, () => {
        // w1 learns of the second steal at its renewal at 2000
        expect(w1.held()).toHaveLength(2);
      });
      at(scheduler, 6000, () => {
        expect(w1.held()).toHaveLength(2);
        expect(w2.held()).toHaveLength(2);
        // one steal per round: exactly two takes by w2, none back by w1
        const takes = (w: Worker): number =>
          w.dynamoCalls.filter(
            (c) =>
              c.command === 'UpdateItemCommand' &&
              String(c.input['UpdateExpression']).startsWith('SET #s0 = :s0, #s1'),
          ).length;
        expect(takes(w2)).toBe(2);
        expect(takes(w1)).toBe(4);
        w2.subscription?.unsubscribe();
        w1.subscription?.unsubscribe();
      });
      flush();
      // w1 learned of the steal at its renewal at 1000: no record of that shard after it
      const lostAt = (w: Worker): number[] =>
        w.events.flatMap((e, i) =>
          !isShardEvent(e) && 'partitionKey' in e && e.shardId === lostShard
            ? [w.times[i] as number]
            : [],
        );
      expect(lostAt(w1).length).toBeGreaterThan(0);
      expect(Math.max(...lostAt(w1))).toBeLessThanOrEqual(1000);
      expect(Math.min(...lostAt(w2))).toBeGreaterThanOrEqual(500);
      expect(Math.max(...lostAt(w2))).toBeGreaterThan(5000);
      const lastRecord = recordsOf(w1)
        .filter((r) => r.shardId === lostShard)
        .pop();
      lostSequenceNumber = lastRecord?.sequenceNumber ?? '';
    });
    // a checkpoint of the lost shard fails with the typed error, once
    const state: CheckpointState = {
      version: 1,
      starts: { s: 'TRIM_HORIZON' },
      shards: { [`s/${lostShard}`]: { sequenceNumber: lostSequenceNumber } },
    };
    await expect(w1.leases.save(state)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(w1.leases.save(state)).resolves.toBeUndefined();
  });
});

void of;
