// The failover bound in virtual time: a worker that goes silent (kill -9) has its
// leases taken by a survivor exactly a failover time after the survivor first saw
// their last counter, which is at most one scan interval after the kill.
import type { Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { DynamoDBPort } from '../src/dynamodb/DynamoDBPort.js';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import type { LeaseCoordinator } from '../src/lease/LeaseCoordinator.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { FakeDynamoDB } from '../src/testing/FakeDynamoDB.js';

const TABLE = 'app';
const FAILOVER = 3000;
const RENEWAL = 1000;

interface Call {
  readonly command: string;
  readonly leaseKey?: string;
  readonly owner?: string;
  readonly at: number;
}

interface Worker {
  readonly leases: LeaseCoordinator;
  readonly calls: Call[];
  readonly subscription: Subscription;
  kill(): void;
}

const shard = (n: number): DiscoveredShard => ({
  stream: 's',
  shardId: `shardId-${String(n).padStart(12, '0')}`,
  parentShardIds: [],
  hashKeyRange: { startingHashKey: String(n * 10), endingHashKey: String(n * 10 + 9) },
});

/** A lease worker (no reading: the operator alone) whose DynamoDB calls are logged, and which can be killed. */
function worker(
  id: string,
  dynamodb: FakeDynamoDB,
  scheduler: TestScheduler,
  shards: number,
  settings: { scanIntervalMs?: number } = {},
): Worker {
  const calls: Call[] = [];
  let dead = false;
  const hang: PromiseLike<never> = { then: () => hang };
  const port = {
    send: (command: { input: Record<string, unknown> }, options: unknown) => {
      if (dead) return hang;
      const input = command.input as {
        Key?: { leaseKey?: { S?: string } };
        ExpressionAttributeValues?: Record<string, { S?: string }>;
      };
      const owner = Object.values(input.ExpressionAttributeValues ?? {}).find((v) => v.S === id)?.S;
      calls.push({
        command: command.constructor.name,
        ...(input.Key?.leaseKey?.S !== undefined ? { leaseKey: input.Key.leaseKey.S } : {}),
        ...(owner !== undefined ? { owner } : {}),
        at: scheduler.now(),
      });
      return (dynamodb.send as (c: unknown, o: unknown) => unknown)(command, options);
    },
  } as unknown as DynamoDBPort;
  const leases = dynamoDBLeases({
    tableName: TABLE,
    workerId: id,
    failoverTimeMs: FAILOVER,
    ...settings,
    dynamodb: { client: port },
  });
  const all = Array.from({ length: shards }, (_, i) => shard(i));
  const reading = scheduler
    .createColdObservable<DiscoveredShard>(
      `(${'abcdefgh'.slice(0, shards)})`,
      Object.fromEntries(all.map((s, i) => ['abcdefgh'[i] as string, s])),
    )
    .pipe(leases.leaseShards({ streams: ['s'], starts: { s: 'TRIM_HORIZON' } }, scheduler))
    .subscribe();
  return {
    leases,
    calls,
    subscription: reading,
    kill: () => {
      dead = true;
    },
  };
}

const ownersAt = (dynamodb: FakeDynamoDB): Record<string, string | undefined> =>
  Object.fromEntries(
    dynamodb.items(TABLE).map((item) => [item['leaseKey']?.S, item['leaseOwner']?.S]),
  );

/**
 * For each lease the dead worker held: its last write before the kill, the
 * survivor's first scan after that write (when it first saw the last counter),
 * and the survivor's take.
 */
function failovers(
  victim: Worker,
  survivor: Worker,
  victimLeases: readonly string[],
  killedAt: number,
): Array<{ leaseKey: string; lastWrite: number; firstSeen: number; takenAt: number }> {
  return victimLeases.map((leaseKey) => {
    const lastWrite = Math.max(
      ...victim.calls
        .filter(
          (c) => c.command === 'UpdateItemCommand' && c.leaseKey === leaseKey && c.at <= killedAt,
        )
        .map((c) => c.at),
    );
    const firstSeen = Math.min(
      ...survivor.calls
        .filter((c) => c.command === 'ScanCommand' && c.at > lastWrite)
        .map((c) => c.at),
    );
    const takenAt = Math.min(
      ...survivor.calls
        .filter(
          (c) =>
            c.command === 'UpdateItemCommand' &&
            c.leaseKey === leaseKey &&
            c.owner !== undefined &&
            c.at > killedAt,
        )
        .map((c) => c.at),
    );
    return { leaseKey, lastWrite, firstSeen, takenAt };
  });
}

describe('lease failover (virtual time)', () => {
  // Kill times across the survivor's scan phase (its scans at 999 + n × 1000): right after the
  // victim's renewal at 4000, in between, and right before the survivor's scan.
  for (const killedAt of [4001, 4500, 4998]) {
    it(`a killed worker's leases are taken exactly failover after the survivor first saw their last counter, within failover + one renewal period of the kill (kill at ${killedAt})`, () => {
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      scheduler.run(({ flush }) => {
        const dynamodb = new FakeDynamoDB({ scheduler });
        const w1 = worker('w1', dynamodb, scheduler, 4);
        let w2!: Worker;
        scheduler.schedule(() => {
          w2 = worker('w2', dynamodb, scheduler, 4);
        }, 999);
        let victimLeases: string[] = [];
        scheduler.schedule(() => {
          victimLeases = w1.leases.heldShards().map((h) => h.leaseKey);
          // balanced before the kill: two each
          expect(victimLeases).toHaveLength(2);
          w1.kill();
        }, killedAt);
        // The victim renewed last at 4000; the survivor scans at 999 + n × 1000, so it first saw
        // the last counters at 4999, and they expire by its clock at 7999: not a millisecond later.
        const held: Record<number, number> = {};
        let owners: Record<string, string | undefined> = {};
        for (const t of [7998, 8000]) {
          scheduler.schedule(() => {
            held[t] = w2.leases.heldShards().length;
            owners = ownersAt(dynamodb);
          }, t);
        }
        scheduler.schedule(
          () => {
            w2.subscription.unsubscribe();
            w1.subscription.unsubscribe();
          },
          killedAt + FAILOVER + 3 * RENEWAL,
        );
        flush();

        const f = failovers(w1, w2, victimLeases, killedAt);
        expect(f.map((x) => [x.lastWrite, x.firstSeen, x.takenAt])).toEqual([
          [4000, 4999, 7999],
          [4000, 4999, 7999],
        ]);
        expect(held).toEqual({ 7998: 2, 8000: 4 });
        expect(owners).toEqual(
          Object.fromEntries([0, 1, 2, 3].map((n) => [shard(n).shardId, 'w2'])),
        );
        for (const { lastWrite, firstSeen, takenAt } of f) {
          expect(lastWrite).toBeLessThanOrEqual(killedAt);
          // exact: a failover time after the survivor first saw the last counter
          expect(takenAt).toBe(firstSeen + FAILOVER);
          // the bound of the issue: failover + one renewal period after the kill
          expect(takenAt - killedAt).toBeLessThanOrEqual(FAILOVER + RENEWAL);
        }
      });
    });
  }

  it("two survivors racing for a dead worker's leases each still take their share within failover + one renewal period", () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const workers: Worker[] = [];
      // three workers, their scans at three phases; 8 shards
      ['w1', 'w2', 'w3'].forEach((id, i) => {
        scheduler.schedule(() => workers.push(worker(id, dynamodb, scheduler, 8)), i * 333);
      });
      const killedAt = 10_001;
      let victimLeases: string[] = [];
      const w1 = (): Worker => workers[0] as Worker;
      const w2 = (): Worker => workers[1] as Worker;
      const w3 = (): Worker => workers[2] as Worker;
      scheduler.schedule(() => {
        victimLeases = w1()
          .leases.heldShards()
          .map((h) => h.leaseKey);
        expect(victimLeases.length).toBeGreaterThanOrEqual(2);
        w1().kill();
      }, killedAt);
      let counts: number[] = [];
      scheduler.schedule(
        () => {
          counts = [w2(), w3()].map((w) => w.leases.heldShards().length);
        },
        killedAt + FAILOVER + RENEWAL,
      );
      scheduler.schedule(
        () => {
          for (const w of workers) w.subscription.unsubscribe();
        },
        killedAt + FAILOVER + 3 * RENEWAL,
      );
      flush();
      // every lease of the dead worker held again within the bound, four each
      expect(counts).toEqual([4, 4]);
      for (const survivor of [w2(), w3()]) {
        const taken = failovers(w1(), survivor, victimLeases, killedAt).filter((f) =>
          Number.isFinite(f.takenAt),
        );
        for (const { takenAt } of taken) {
          expect(takenAt - killedAt).toBeLessThanOrEqual(FAILOVER + RENEWAL);
        }
      }
    });
  });

  it('with the KCL scan cadence (scanIntervalMs 2 × (failover + 25)) the table is scanned that much less, and a dead worker is taken over at the scan after the one that first saw its last counter, as in the KCL', () => {
    const scanIntervalMs = 2 * (FAILOVER + 25);
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const w1 = worker('w1', dynamodb, scheduler, 4, { scanIntervalMs });
      let w2!: Worker;
      scheduler.schedule(() => {
        w2 = worker('w2', dynamodb, scheduler, 4, { scanIntervalMs });
      }, 999);
      const killedAt = 3 * scanIntervalMs + 1;
      let victimLeases: string[] = [];
      scheduler.schedule(() => {
        victimLeases = w1.leases.heldShards().map((h) => h.leaseKey);
        expect(victimLeases).toHaveLength(2);
        w1.kill();
      }, killedAt);
      const end = killedAt + 3 * scanIntervalMs;
      scheduler.schedule(() => {
        w2.subscription.unsubscribe();
        w1.subscription.unsubscribe();
      }, end);
      flush();
      for (const { firstSeen, takenAt } of failovers(w1, w2, victimLeases, killedAt)) {
        // no evidence of silence between scans: expired at the next scan
        expect(takenAt).toBe(firstSeen + scanIntervalMs);
        expect(takenAt - killedAt).toBeLessThanOrEqual(2 * scanIntervalMs);
      }
      // scans once per scan interval, none out of turn (no failed take between them);
      // renewals stay at failover / 3
      const scans = w2.calls.filter((c) => c.command === 'ScanCommand').map((c) => c.at);
      expect(scans).toEqual(
        Array.from(
          { length: Math.floor((end - 999) / scanIntervalMs) + 1 },
          (_, i) => 999 + i * scanIntervalMs,
        ),
      );
      const renewals = w1.calls.filter(
        (c) => c.command === 'UpdateItemCommand' && c.at > scanIntervalMs && c.at <= killedAt,
      );
      expect(new Set(renewals.map((c) => c.at)).size).toBe(
        Math.floor(killedAt / RENEWAL) - Math.floor(scanIntervalMs / RENEWAL),
      );
    });
  });
});
