import { BehaviorSubject, type Subscription, map } from 'rxjs';
import { ConfigError } from '../src/client/errors.js';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import type { DynamoDBPort } from '../src/dynamodb/DynamoDBPort.js';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import { LeaseLostError, LeaseTableError } from '../src/lease/errors.js';
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

  it('steal: a second worker steals one lease per round toward an even count; the loser stops reading at once, reports the loss once, and its save skips that shard', async () => {
    const scheduler = testScheduler();
    let w1!: Worker;
    let w2!: Worker;
    let lostShard = '';
    let lostSequenceNumber = '';
    let dynamodb!: FakeDynamoDB;
    const losses: Array<{ error: LeaseLostError; at: number }> = [];
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      dynamodb = new FakeDynamoDB({ scheduler });
      // records on every shard all the time: a zombie reader would keep getting some
      for (let t = 0; t < 6000; t += 100) {
        at(scheduler, t, () => {
          for (let i = 0; i < 8; i += 1) kinesis.put('s', `k${i}`, `v${t}`);
        });
      }
      w1 = worker('w1', kinesis, dynamodb, scheduler);
      w1.leases.losses.subscribe((error) => losses.push({ error, at: scheduler.now() }));
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
    // the losses, as w1 noticed them: at its renewals at 1000 and 2000, typed, naming the shard
    expect(losses.map((l) => l.at)).toEqual([1000, 2000]);
    expect(losses[0]?.error).toBeInstanceOf(LeaseLostError);
    expect(losses[0]?.error).toMatchObject({
      name: 'LeaseLostError',
      tableName: TABLE,
      stream: 's',
      shardId: lostShard,
      workerId: 'w1',
    });
    // a save with progress on the lost shard resolves and writes nothing into that lease
    const before = dynamodb.item(TABLE, lostShard);
    const state: CheckpointState = {
      version: 1,
      starts: { s: 'TRIM_HORIZON' },
      shards: { [`s/${lostShard}`]: { sequenceNumber: lostSequenceNumber } },
    };
    await expect(w1.leases.save(state)).resolves.toBeUndefined();
    expect(dynamodb.item(TABLE, lostShard)).toEqual(before);
    expect(losses).toHaveLength(2);
  });

  it('expire: a silent worker keeps its leases a failover time by the survivor clock, then loses them all', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      let w2!: Worker;
      at(scheduler, 200, () => w1.crash());
      at(scheduler, 2500, () => {
        w2 = worker('w2', kinesis, dynamodb, scheduler);
      });
      at(scheduler, 5400, () => {
        // not expired yet (first seen at 2500): only the two steals toward an even count
        expect(w2.held()).toHaveLength(2);
        expect(Object.values(owners(dynamodb)).filter((o) => o === 'w1')).toHaveLength(2);
      });
      at(scheduler, 6600, () => {
        // 2500 + failover 3000 passed at the round of 6500: the rest is taken at once
        expect(w2.held()).toEqual([0, 1, 2, 3].map(shardId));
        w2.subscription?.unsubscribe();
        w1.subscription?.unsubscribe();
      });
      flush();
    });
  });

  it('a taken lease starts its reader at once: the GetShardIterator goes out at the instant of the take, for a first take and for a retake', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      let w2!: Worker;
      // w2 steals (first takes), then w1 goes silent and w2 takes the rest at their expiry;
      // w3 steals from w2 and goes silent too: w2 takes those back (retakes of shards it read)
      let w3!: Worker;
      at(scheduler, 500, () => {
        w2 = worker('w2', kinesis, dynamodb, scheduler);
      });
      at(scheduler, 2200, () => w1.crash());
      at(scheduler, 6000, () => {
        w3 = worker('w3', kinesis, dynamodb, scheduler);
      });
      at(scheduler, 8200, () => w3.crash());
      at(scheduler, 14000, () => {
        for (const w of [w1, w2, w3]) w.subscription?.unsubscribe();
      });
      flush();
      const takes = w2.dynamoCalls.filter(
        (c) =>
          c.command === 'UpdateItemCommand' &&
          JSON.stringify(c.input['ExpressionAttributeValues']).includes('"w2"') &&
          String(c.input['UpdateExpression']).includes('#s2'),
      );
      // two steals, two takes at expiry, and the retakes after w3's steals
      const shardOf = (c: PortCall): string =>
        (c.input['Key'] as { leaseKey: { S: string } }).leaseKey.S;
      expect(takes.length).toBeGreaterThan(4);
      expect(new Set(takes.map(shardOf)).size).toBeLessThan(takes.length);
      for (const take of takes) {
        const shard = shardOf(take);
        const iterator = w2.kinesisCalls.find(
          (c) =>
            c.command === 'GetShardIteratorCommand' &&
            c.input['ShardId'] === shard &&
            c.at >= take.at,
        );
        expect(iterator?.at).toBe(take.at);
      }
    });
  });

  it('release: a graceful stop frees its leases and saves its last positions; the other worker holds all within one renewal period', async () => {
    const scheduler = testScheduler();
    let w1!: Worker;
    let w2!: Worker;
    let dynamodb!: FakeDynamoDB;
    let stoppedAt = 0;
    let takenAt = 0;
    let released: string[] = [];
    const state: CheckpointState = { version: 1, starts: { s: 'TRIM_HORIZON' }, shards: {} };
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 4);
      for (let i = 0; i < 16; i += 1) kinesis.put('s', `k${i}`, `v${i}`);
      dynamodb = new FakeDynamoDB({ scheduler });
      w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 500, () => {
        w2 = worker('w2', kinesis, dynamodb, scheduler);
      });
      at(scheduler, 5200, () => {
        expect(w1.held()).toHaveLength(2);
        released = w1.held();
        for (const r of recordsOf(w1))
          state.shards[`s/${r.shardId}`] = { sequenceNumber: r.sequenceNumber };
        stoppedAt = scheduler.now();
        w1.subscription?.unsubscribe();
        expect(Object.values(owners(dynamodb)).filter((o) => o === 'w1')).toHaveLength(0);
      });
      for (let t = 5200; t <= 5200 + RENEWAL; t += 50) {
        at(scheduler, t, () => {
          if (takenAt === 0 && w2.held().length === 4) takenAt = scheduler.now();
        });
      }
      at(scheduler, 7000, () => w2.subscription?.unsubscribe());
      flush();
    });
    expect(takenAt).toBeGreaterThan(stoppedAt);
    expect(takenAt - stoppedAt).toBeLessThanOrEqual(RENEWAL);
    // after the other worker took them, a save of w1's positions writes nothing (the leases
    // are not its own) and reports each released one once (the stolen ones were reported when lost)
    const losses: string[] = [];
    w1.leases.losses.subscribe((error) => losses.push(error.shardId));
    const before = dynamodb.items(TABLE);
    await expect(w1.leases.save(state)).resolves.toBeUndefined();
    expect(dynamodb.items(TABLE)).toEqual(before);
    expect(losses.sort()).toEqual([...released].sort());
    await w1.leases.save(state);
    expect(losses).toHaveLength(released.length);
  });

  it('release: a save right after a graceful stop, before anyone takes the leases, still writes the last positions', async () => {
    const scheduler = testScheduler();
    let w1!: Worker;
    let dynamodb!: FakeDynamoDB;
    const state: CheckpointState = { version: 1, starts: { s: 'TRIM_HORIZON' }, shards: {} };
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 2);
      for (let i = 0; i < 8; i += 1) kinesis.put('s', `k${i}`, `v${i}`);
      dynamodb = new FakeDynamoDB({ scheduler });
      w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 700, () => {
        for (const r of recordsOf(w1))
          state.shards[`s/${r.shardId}`] = { sequenceNumber: r.sequenceNumber };
        w1.subscription?.unsubscribe();
      });
      flush();
    });
    await w1.leases.save(state);
    for (const [key, entry] of Object.entries(state.shards)) {
      const item = dynamodb.item(TABLE, key.slice(2));
      expect(item?.['checkpoint']).toEqual({ S: entry.sequenceNumber });
      expect(item?.['leaseOwner']).toBeUndefined();
    }
    await w1.leases.close();
  });

  it('parent first across workers: a child is not taken while its parent, held by another worker, is not SHARD_END', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 2);
      const dynamodb = new FakeDynamoDB({ scheduler });
      // w1 holds the parent (the shard it holds at the split) but reads it only from 5200 on
      const parentPaused = new BehaviorSubject(false);
      let parent = '';
      const w1 = worker('w1', kinesis, dynamodb, scheduler, {
        pausedFor: (s: { shardId: string }) =>
          parentPaused.pipe(map((paused) => paused && s.shardId === parent)),
      });
      let w2!: Worker;
      at(scheduler, 500, () => {
        w2 = worker('w2', kinesis, dynamodb, scheduler);
      });
      let children: [string, string] = ['', ''];
      at(scheduler, 1100, () => {
        // w2 stole one at 500; w1 saw it at its renewal at 1000
        expect(w1.held()).toHaveLength(1);
        parent = w1.held()[0] as string;
        parentPaused.next(true);
        for (let i = 0; i < 20; i += 1) kinesis.put('s', `k${i}`, 'before');
        children = kinesis.splitShard('s', parent);
        for (let i = 0; i < 20; i += 1) kinesis.put('s', `k${i}`, 'after');
      });
      at(scheduler, 4900, () => {
        expect(w1.held()).toContain(parent);
        for (const child of children) expect(owners(dynamodb)[child]).toBeUndefined();
        expect(w2.held()).not.toContain(children[0]);
      });
      at(scheduler, 5200, () => parentPaused.next(false));
      at(scheduler, 9000, () => {
        expect(dynamodb.item(TABLE, parent)?.['checkpoint']).toEqual({ S: 'SHARD_END' });
        expect(dynamodb.item(TABLE, parent)?.['childShardIds']?.SS?.sort()).toEqual(
          [...children].sort(),
        );
        w1.subscription?.unsubscribe();
        w2.subscription?.unsubscribe();
      });
      flush();
      const shardEndAt = w1.dynamoCalls.find(
        (c) =>
          c.command === 'UpdateItemCommand' &&
          JSON.stringify(c.input['ExpressionAttributeValues']).includes('SHARD_END'),
      )?.at as number;
      expect(shardEndAt).toBeGreaterThanOrEqual(5200);
      const childReads = w2.kinesisCalls.filter(
        (c) =>
          c.command === 'GetShardIteratorCommand' && children.includes(String(c.input['ShardId'])),
      );
      // the first scan after SHARD_END was w2's (5500): both children were read first by the other worker
      for (const child of children) {
        expect(childReads.some((c) => c.input['ShardId'] === child)).toBe(true);
      }
      const anyChildRead = [...w1.kinesisCalls, ...w2.kinesisCalls].filter(
        (c) =>
          c.command === 'GetShardIteratorCommand' && children.includes(String(c.input['ShardId'])),
      );
      expect(Math.min(...anyChildRead.map((c) => c.at))).toBeGreaterThan(shardEndAt);
      expect(Math.min(...childReads.map((c) => c.at))).toBe(5500);
      // per key: every "before" (parent, w1) came out before the "after" of the same key (child, w2)
      const before = recordsOf(w1).filter((r) => r.shardId === parent).length;
      const after = recordsOf(w2).filter((r) => children.includes(r.shardId)).length;
      expect(before + after).toBeGreaterThan(0);
    });
  });

  it('a new shard gets one lease, created once, with two workers', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 3);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      const w2 = worker('w2', kinesis, dynamodb, scheduler);
      at(scheduler, 3000, () => {
        w1.subscription?.unsubscribe();
        w2.subscription?.unsubscribe();
      });
      flush();
      expect(dynamodb.items(TABLE)).toHaveLength(3);
      expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(3);
    });
  });

  it('bad settings are ConfigErrors naming the path, before any request', () => {
    const dynamodb = new FakeDynamoDB();
    const attempt = (settings: Record<string, unknown>): unknown => {
      try {
        dynamoDBLeases({ dynamodb: { client: dynamodb }, ...settings } as never);
        return undefined;
      } catch (error) {
        return error;
      }
    };
    const renewal = attempt({
      tableName: 'app',
      workerId: 'w',
      failoverTimeMs: 3000,
      renewalIntervalMs: 3000,
    });
    expect(renewal).toBeInstanceOf(ConfigError);
    expect(String((renewal as Error).message)).toContain(
      'leases.renewalIntervalMs: expected a renewal interval below failoverTimeMs (3000), got 3000',
    );
    const worker = attempt({ tableName: 'app', workerId: '' });
    expect(String((worker as Error).message)).toContain(
      'leases.workerId: expected a non-empty string, got ""',
    );
    const table = attempt({ tableName: 'a', workerId: 'w' });
    expect(String((table as Error).message)).toContain('leases.tableName');
    const failover = attempt({ tableName: 'app', workerId: 'w', failoverTimeMs: 0 });
    expect(String((failover as Error).message)).toContain('leases.failoverTimeMs');
    const scan = attempt({ tableName: 'app', workerId: 'w', scanIntervalMs: 0 });
    expect(String((scan as Error).message)).toContain('leases.scanIntervalMs');
    const steal = attempt({ tableName: 'app', workerId: 'w', maxLeasesToStealAtOneTime: 0 });
    expect(String((steal as Error).message)).toContain('leases.maxLeasesToStealAtOneTime');
    const typo = attempt({ tableName: 'app', workerId: 'w', failoverTime: 10 });
    expect(String((typo as Error).message)).toContain('did you mean "failoverTimeMs"');
    expect(dynamodb.calls).toHaveLength(0);
    const leases = dynamoDBLeases({
      tableName: 'app',
      workerId: 'w',
      dynamodb: { client: dynamodb },
    });
    expect(() =>
      readKinesis({
        stream: 's',
        client: new FakeKinesis(),
        leases,
        assignment: { index: 0, count: 2 },
      }),
    ).toThrow('source.leases: expected either assignment or leases, not both');
    expect(() =>
      readKinesis({ stream: 's', client: new FakeKinesis(), leases: {} as never }),
    ).toThrow('source.leases: expected a lease coordinator');
    expect(dynamodb.calls).toHaveLength(0);
  });

  it('a missing table with createTableIfMissing off is a clear LeaseTableError, and nothing is read', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 1);
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = dynamoDBLeases({
        tableName: TABLE,
        workerId: 'w1',
        createTableIfMissing: false,
        dynamodb: { client: dynamodb },
      });
      const source = readKinesis({ stream: 's', client: kinesis, leases }, scheduler);
      expectObservable(source).toBe(
        '#',
        undefined,
        new LeaseTableError(
          TABLE,
          'DescribeTable',
          undefined,
          `lease table "${TABLE}" does not exist and createTableIfMissing is false: create it (hash key "leaseKey", type S) or let the coordinator create it`,
        ),
      );
    });
  });

  it('takes over a KCL table: a hand-made KCL row (no attributes of ours) is read on after its checkpoint; save writes the position into the held lease', async () => {
    const scheduler = testScheduler();
    let w1!: Worker;
    let dynamodb!: FakeDynamoDB;
    let sequenceNumbers: string[] = [];
    let saved: Promise<void> = Promise.resolve();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 1);
      sequenceNumbers = Array.from(
        { length: 6 },
        (_, i) => kinesis.put('s', `k${i}`, `v${i}`).sequenceNumber,
      );
      dynamodb = new FakeDynamoDB({ scheduler });
      dynamodb.createTable(TABLE);
      dynamodb.putItem(TABLE, {
        leaseKey: { S: shardId(0) },
        leaseOwner: { S: 'kcl-worker' },
        leaseCounter: { N: '42' },
        checkpoint: { S: sequenceNumbers[2] as string },
        checkpointSubSequenceNumber: { N: '0' },
        ownerSwitchesSinceCheckpoint: { N: '0' },
      });
      w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 2999, () => {
        // the KCL worker is gone: its lease expires by our clock (first seen at 0), at 0 + failover exactly
        expect(w1.held()).toEqual([]);
      });
      at(scheduler, 3001, () => {
        expect(w1.held()).toEqual([shardId(0)]);
      });
      at(scheduler, 4800, () => {
        expect(recordsOf(w1).map((r) => r.partitionKey)).toEqual(['k3', 'k4', 'k5']);
        expect(dynamodb.item(TABLE, shardId(0))?.['ownerSwitchesSinceCheckpoint']).toEqual({
          N: '1',
        });
        const last = sequenceNumbers[5] as string;
        const counter = Number(dynamodb.item(TABLE, shardId(0))?.['leaseCounter']?.N);
        saved = w1.leases.save({
          version: 1,
          starts: { s: 'TRIM_HORIZON' },
          shards: { [`s/${shardId(0)}`]: { sequenceNumber: last } },
        });
        expect(dynamodb.item(TABLE, shardId(0))).toMatchObject({
          leaseOwner: { S: 'w1' },
          checkpoint: { S: last },
          checkpointSubSequenceNumber: { N: '0' },
          ownerSwitchesSinceCheckpoint: { N: '0' },
          leaseCounter: { N: String(counter + 1) },
        });
      });
      at(scheduler, 5000, () => w1.subscription?.unsubscribe());
      flush();
    });
    await saved;
    await expect(w1.leases.load()).resolves.toEqual({
      version: 1,
      starts: {},
      shards: {
        [`s/${shardId(0)}`]: { sequenceNumber: sequenceNumbers[5] as string, subSequenceNumber: 0 },
      },
    });
  });

  it('a worker that cannot renew (DynamoDB failing) drops its leases by its own clock before they may expire elsewhere, and stops reading', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 2);
      const dynamodb = new FakeDynamoDB({ scheduler });
      dynamodb.inject((call) =>
        call.at >= 1500 && call.command === 'UpdateItemCommand'
          ? {
              error: Object.assign(new Error('down'), {
                name: 'InternalServerError',
                $metadata: { httpStatusCode: 500 },
              }),
            }
          : undefined,
      );
      const w1 = worker('w1', kinesis, dynamodb, scheduler);
      at(scheduler, 1900, () => expect(w1.held()).toHaveLength(2));
      // renewed last at 1000: dropped at the first tick where 1000 + failover - renewal is past (3000 is not, 4000 is)
      at(scheduler, 3900, () => expect(w1.held()).toHaveLength(2));
      at(scheduler, 4001, () => expect(w1.held()).toEqual([]));
      at(scheduler, 8000, () => w1.subscription?.unsubscribe());
      flush();
      const reads = w1.kinesisCalls.filter((c) => c.command === 'GetRecordsCommand');
      expect(reads.length).toBeGreaterThan(0);
      expect(Math.max(...reads.map((c) => c.at))).toBeLessThanOrEqual(4000);
    });
  });
});
