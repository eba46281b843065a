// Leases in virtual time: 1,000 shards, 50 workers joining and leaving, the
// lease coordinator of `dynamoDBLeases` against the in-memory DynamoDB twin
// on a VirtualTimeScheduler (no reading: the shards are offered as
// discovered, so the figures are the coordinator's own). Reports the time to
// balance after each join/leave, the failover time of the killed workers'
// leases, the DynamoDB requests per shard per second by kind beside the
// KCL's for the same settings, and the longest time two workers believed
// they held one shard at once; for the default scan interval (one renewal
// period) and for the KCL's (2 × (failover + 25 ms)).
// BENCH_LEASE_CONFIGS=default or =kcl runs one of the two.
import { Subscription, VirtualAction, VirtualTimeScheduler, of } from 'rxjs';
import type { DynamoDBPort } from '../src/dynamodb/DynamoDBPort.js';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import type { LeaseCoordinator } from '../src/lease/LeaseCoordinator.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { FakeDynamoDB, type FakeDynamoDBCall } from '../src/testing/FakeDynamoDB.js';

const SHARDS = Number(process.env['BENCH_LEASE_SHARDS'] ?? 1000);
const WORKERS = 50;
const FAILOVER_MS = 10_000; // the KCL's default
const RENEWAL_MS = Math.floor(FAILOVER_MS / 3);
const EPSILON_MS = 25; // the KCL's epsilonMillis
/** A checkpoint per shard this often: the same for both (both write the position into the lease). */
const CHECKPOINT_INTERVAL_MS = 5_000;
const SAMPLE_MS = 100;
const DELAY = Number(process.env['BENCH_LEASE_DELAY_MS'] ?? 1);
const TABLE = 'bench-leases';
// About 300 bytes a lease: a 1 MB Scan page holds all 1,000.
const SCAN_PAGE = 3000;

type Event =
  | { at: number; kind: 'join'; ids: string[] }
  | { at: number; kind: 'crash'; ids: string[] }
  | { at: number; kind: 'leave'; ids: string[] };

const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `w${from + i}`);
// One steal per worker per round (as the KCL's default): after a join, a new
// worker needs about (its even share) rounds, so events are spaced for that.
// Steady state is measured before the first leave (all 50 up, balanced).
const STEADY = { from: 150_000, to: 180_000 };
const EVENTS: Event[] = [
  { at: 0, kind: 'join', ids: ids(1, 40) },
  { at: 60_000, kind: 'join', ids: ids(41, 50) },
  { at: 180_000, kind: 'crash', ids: ids(41, 50) },
  { at: 240_000, kind: 'leave', ids: ids(31, 40) },
  { at: 300_000, kind: 'join', ids: ids(51, 60) },
];
const END = Number(process.env['BENCH_LEASE_END_MS'] ?? 420_000);

// mulberry32: a small seeded PRNG
let seed = 0x9e3779b9;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};

const shardId = (n: number): string => `shardId-${String(n).padStart(12, '0')}`;
const STEP = (1n << 128n) / BigInt(SHARDS);
const shards: DiscoveredShard[] = Array.from({ length: SHARDS }, (_, i) => ({
  stream: 'orders',
  shardId: shardId(i),
  parentShardIds: [],
  hashKeyRange: {
    startingHashKey: String(STEP * BigInt(i)),
    endingHashKey: String(i === SHARDS - 1 ? (1n << 128n) - 1n : STEP * BigInt(i + 1) - 1n),
  },
}));

interface SimWorker {
  readonly id: string;
  readonly leases: LeaseCoordinator;
  readonly subscription: Subscription;
  alive: boolean;
  crash(): void;
}

type Kind = 'renewal' | 'take' | 'release' | 'checkpoint' | 'create' | 'scan' | 'other';
function kindOf(call: FakeDynamoDBCall): Kind {
  if (call.command === 'ScanCommand') return 'scan';
  if (call.command === 'PutItemCommand') return 'create';
  if (call.command !== 'UpdateItemCommand') return 'other';
  const names = Object.values(
    (call.input['ExpressionAttributeNames'] ?? {}) as Record<string, string>,
  );
  const expression = String(call.input['UpdateExpression']);
  if (names.includes('checkpoint') && expression.includes('#s')) {
    const set = Object.entries(
      (call.input['ExpressionAttributeNames'] ?? {}) as Record<string, string>,
    )
      .filter(([k]) => k.startsWith('#s'))
      .map(([, v]) => v);
    if (set.includes('checkpoint')) return 'checkpoint';
  }
  if (expression.includes('REMOVE')) return 'release';
  const set = Object.entries(
    (call.input['ExpressionAttributeNames'] ?? {}) as Record<string, string>,
  )
    .filter(([k]) => k.startsWith('#s'))
    .map(([, v]) => v);
  return set.includes('leaseOwner') ? 'take' : 'renewal';
}

interface Balance {
  event: string;
  at: number;
  workers: number;
  balancedAfterMs?: number;
  spread?: string;
  /** For a crash: when every lease the crashed workers held was held by a live worker again. */
  failoverMs?: number;
  orphans?: Set<string>;
}

interface SimResult {
  readonly name: string;
  readonly scanIntervalMs: number;
  readonly wallSeconds: number;
  readonly balance: readonly Balance[];
  readonly perShardPerSecond: Record<'renewal' | 'take' | 'scan' | 'scannedItems', number>;
  readonly longestOverlapMs: number;
  readonly overlaps: number;
}

async function simulate(name: string, scanIntervalMs: number | undefined): Promise<SimResult> {
  const started = performance.now();
  seed = 0x9e3779b9;
  const scheduler = new VirtualTimeScheduler(VirtualAction, END);
  const dynamodb = new FakeDynamoDB({ scheduler, scanPageSize: SCAN_PAGE });
  const workers = new Map<string, SimWorker>();

  const join = (id: string): void => {
    let crashed = false;
    const hang: PromiseLike<never> = { then: () => hang };
    // Answers one virtual millisecond later, as over a network: a round in flight
    // folds the shards offered meanwhile into its next round (the twin alone answers
    // at once, and every offer would run a round of its own).
    const port = {
      send: (command: unknown, options: unknown): PromiseLike<unknown> => {
        if (crashed) return hang;
        const answer = (dynamodb.send as (c: unknown, o: unknown) => PromiseLike<unknown>)(
          command,
          options,
        );
        return {
          then: (ok, fail) => {
            answer.then(
              (value) => scheduler.schedule(() => void ok?.(value), DELAY),
              (error: unknown) => scheduler.schedule(() => void fail?.(error), DELAY),
            );
            return hang as PromiseLike<never>;
          },
        };
      },
    } as unknown as DynamoDBPort;
    const leases = dynamoDBLeases({
      tableName: TABLE,
      workerId: id,
      failoverTimeMs: FAILOVER_MS,
      ...(scanIntervalMs !== undefined ? { scanIntervalMs } : {}),
      dynamodb: { client: port },
    });
    const subscription = of(...shards)
      .pipe(
        leases.leaseShards({ streams: ['orders'], starts: { orders: 'TRIM_HORIZON' } }, scheduler),
      )
      .subscribe({
        error: (error: unknown) => {
          throw error;
        },
      });
    const worker: SimWorker = {
      id,
      leases,
      subscription,
      alive: true,
      crash: () => {
        crashed = true;
        worker.alive = false;
      },
    };
    workers.set(id, worker);
  };

  // After each event: when every live worker first holds within ±1 of an even share of all shards.
  const balance: Balance[] = [];
  let expected = 0;
  const live = (): SimWorker[] => [...workers.values()].filter((w) => w.alive);
  for (const event of EVENTS) {
    scheduler.schedule(() => {
      const orphans = new Set<string>();
      for (const id of event.ids) {
        // Processes never start in the same millisecond: joins spread over one renewal
        // period (seeded, so runs repeat). In lockstep every steal meets the victim's
        // renewal of the same instant and fails its condition.
        if (event.kind === 'join')
          scheduler.schedule(() => join(id), Math.floor(random() * RENEWAL_MS));
        else {
          const w = workers.get(id)!;
          if (event.kind === 'crash') {
            for (const h of w.leases.heldShards()) orphans.add(h.shardId);
            w.crash();
          } else {
            w.alive = false;
            w.subscription.unsubscribe();
          }
        }
      }
      expected += event.kind === 'join' ? event.ids.length : -event.ids.length;
      balance.push({
        event: `${event.kind} ${event.ids.length} → ${expected} workers`,
        at: event.at,
        workers: expected,
        ...(event.kind === 'crash' ? { orphans } : {}),
      });
    }, event.at);
  }

  // Sampling: balance, and how long two workers believed they held one shard at once.
  const overlapSince = new Map<string, number>();
  let longestOverlap = 0;
  let overlapShards = 0;
  const steadyCalls = { from: 0, to: 0 };
  scheduler.schedule(function () {
    const now = scheduler.now();
    const believers = new Map<string, number>();
    const counts: number[] = [];
    for (const w of live()) {
      const held = w.leases.heldShards();
      counts.push(held.length);
      for (const h of held) believers.set(h.shardId, (believers.get(h.shardId) ?? 0) + 1);
    }
    for (const [shard, n] of believers) {
      if (n >= 2 && !overlapSince.has(shard)) {
        overlapSince.set(shard, now);
        overlapShards += 1;
      }
    }
    for (const [shard, since] of [...overlapSince]) {
      if ((believers.get(shard) ?? 0) < 2) {
        longestOverlap = Math.max(longestOverlap, now - since);
        overlapSince.delete(shard);
      }
    }
    const pending = balance.at(-1);
    if (pending?.orphans !== undefined && pending.failoverMs === undefined) {
      for (const shard of [...pending.orphans])
        if (believers.has(shard)) pending.orphans.delete(shard);
      if (pending.orphans.size === 0) pending.failoverMs = now - pending.at;
    }
    if (pending !== undefined && counts.length > 0) {
      pending.spread = `${Math.min(...counts)}-${Math.max(...counts)} (${counts.reduce((a, b) => a + b, 0)} held)`;
    }
    if (
      pending !== undefined &&
      pending.balancedAfterMs === undefined &&
      counts.length === pending.workers
    ) {
      const even = SHARDS / counts.length;
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === SHARDS && counts.every((c) => Math.abs(c - even) <= 1)) {
        pending.balancedAfterMs = now - pending.at;
      }
    }
    if (now === STEADY.from) steadyCalls.from = dynamodb.calls.length;
    if (now === STEADY.to) steadyCalls.to = dynamodb.calls.length;
    this.schedule(undefined, SAMPLE_MS);
  }, 0);

  scheduler.flush();
  for (const w of workers.values()) if (w.alive) w.subscription.unsubscribe();

  const seconds = (STEADY.to - STEADY.from) / 1000;
  const counts = new Map<Kind, number>();
  let scannedItems = 0;
  for (const call of dynamodb.calls.slice(steadyCalls.from, steadyCalls.to)) {
    const kind = kindOf(call);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (kind === 'scan') scannedItems += SHARDS / Math.ceil(SHARDS / SCAN_PAGE);
  }
  const perShardPerSecond = (n: number): number => n / SHARDS / seconds;
  return {
    name,
    scanIntervalMs: scanIntervalMs ?? RENEWAL_MS,
    wallSeconds: (performance.now() - started) / 1000,
    balance,
    perShardPerSecond: {
      renewal: perShardPerSecond(counts.get('renewal') ?? 0),
      take: perShardPerSecond(counts.get('take') ?? 0),
      scan: perShardPerSecond(counts.get('scan') ?? 0),
      scannedItems: perShardPerSecond(scannedItems),
    },
    longestOverlapMs: longestOverlap,
    overlaps: overlapShards,
  };
}

export async function benchLeases(): Promise<void> {
  const kclTakerMs = (FAILOVER_MS + EPSILON_MS) * 2;
  const configs: Array<[string, number | undefined]> = [
    ['default', undefined],
    ['kcl', kclTakerMs],
  ];
  const only = process.env['BENCH_LEASE_CONFIGS'];
  const results: SimResult[] = [];
  for (const [name, scan] of configs) {
    if (only !== undefined && only !== name) continue;
    results.push(await simulate(name, scan));
  }

  // The KCL (1.x and 2.x LeaseCoordinator) with the same failover time, per worker:
  // the renewer updates every held lease every failover/3 - epsilon; the taker scans
  // the whole table every (failover + epsilon) * 2 (eventually consistent reads, as
  // ours); the record processor's checkpoint is one conditional UpdateItem per shard
  // per checkpoint. (Not counted for either: the KCL 2.x leader's periodic shard
  // sync, creations, takes.) Its taker sees a counter change at a scan and checks
  // expiry at scans only: a dead worker's lease is taken within two taker intervals.
  const kclRenewalMs = RENEWAL_MS - EPSILON_MS;
  const kcl = {
    renewal: 1000 / kclRenewalMs,
    checkpoint: 1000 / CHECKPOINT_INTERVAL_MS,
    scan: (WORKERS * 1000) / kclTakerMs / SHARDS,
    scannedItems: (WORKERS * SHARDS * 1000) / kclTakerMs / SHARDS,
    failoverBoundMs: 2 * kclTakerMs,
  };
  const fmt = (n: number): string => n.toFixed(4);
  const ratio = (a: number, b: number): string => (b === 0 ? '' : `${(a / b).toFixed(2)}×`);
  const checkpoint = 1000 / CHECKPOINT_INTERVAL_MS;

  console.log(
    `${SHARDS} shards, up to ${WORKERS} workers, failover ${FAILOVER_MS} ms, renewal ${RENEWAL_MS} ms, ` +
      `virtual ${END / 1000} s per configuration`,
  );
  for (const r of results) {
    console.log(
      `\n## scanIntervalMs ${r.scanIntervalMs} (${r.name === 'default' ? 'the default: one renewal period' : "the KCL's taker interval, 2 × (failover + 25 ms)"}; wall ${r.wallSeconds.toFixed(1)} s)`,
    );
    console.log(
      '\ntime to balance (every live worker within ±1 of an even share, all shards held):',
    );
    console.log(
      "| event | at (s) | balanced after (s) | crashed workers' leases all held again after (s) | leases per worker before the next event |",
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const b of r.balance) {
      console.log(
        `| ${b.event} | ${b.at / 1000} | ${b.balancedAfterMs !== undefined ? (b.balancedAfterMs / 1000).toFixed(1) : 'not by the next event'} | ${b.orphans !== undefined ? (b.failoverMs !== undefined ? (b.failoverMs / 1000).toFixed(1) : 'not by the next event') : ''} | ${b.spread ?? ''} |`,
      );
    }
    // Below the failover time: taken a failover time after the first scan that saw the last
    // counter; above it: at the scan after that one.
    const bound =
      r.scanIntervalMs < FAILOVER_MS ? FAILOVER_MS + r.scanIntervalMs : 2 * r.scanIntervalMs;
    console.log(
      `\nfailover bound by design: ${(bound / 1000).toFixed(1)} s (KCL: up to ${(kcl.failoverBoundMs / 1000).toFixed(1)} s, two taker intervals)`,
    );
    const o = r.perShardPerSecond;
    console.log(
      `\nDynamoDB requests per shard per second, steady state (${WORKERS} workers, ${STEADY.from / 1000}-${STEADY.to / 1000} s), beside the KCL's model:`,
    );
    console.log('| kind | rx-kinesis | KCL | ratio |');
    console.log('|---|---:|---:|---:|');
    console.log(
      `| renewals | ${fmt(o.renewal)} | ${fmt(kcl.renewal)} | ${ratio(o.renewal, kcl.renewal)} |`,
    );
    console.log(`| takes and steals | ${fmt(o.take)} | - | |`);
    console.log(
      `| checkpoints (modelled: one per shard per ${CHECKPOINT_INTERVAL_MS / 1000} s, both) | ${fmt(checkpoint)} | ${fmt(kcl.checkpoint)} | ${ratio(checkpoint, kcl.checkpoint)} |`,
    );
    console.log(`| scan pages | ${fmt(o.scan)} | ${fmt(kcl.scan)} | ${ratio(o.scan, kcl.scan)} |`);
    console.log(
      `| all requests | ${fmt(o.renewal + o.take + checkpoint + o.scan)} | ${fmt(kcl.renewal + kcl.checkpoint + kcl.scan)} | ${ratio(o.renewal + o.take + checkpoint + o.scan, kcl.renewal + kcl.checkpoint + kcl.scan)} |`,
    );
    console.log(
      `| items read by scans (eventually consistent, both) | ${o.scannedItems.toFixed(2)} | ${kcl.scannedItems.toFixed(2)} | ${ratio(o.scannedItems, kcl.scannedItems)} |`,
    );
    console.log(
      `\nlongest time two workers believed they held one shard at once: ${(r.longestOverlapMs / 1000).toFixed(1)} s ` +
        `(${r.overlaps} overlaps; failover window ${FAILOVER_MS / 1000} s, sampled every ${SAMPLE_MS} ms)` +
        (r.longestOverlapMs <= FAILOVER_MS ? '' : '  ← OVER THE FAILOVER WINDOW'),
    );
  }
}
