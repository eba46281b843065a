// `npm run bench -- ratelimit`: the sink's `rateLimit` against the same sink without it, measured
// in the same run, on the limit-enforcing FakeKinesis (AWS's 1,000 records/s and 1 MiB/s per shard
// in sliding one-second windows) in virtual time: no emulator throttles, so the fake is the judge.
// Per workload and setting: PutRecords requests, throttled requests (some entry refused), refused
// entries, virtual seconds until every record is acknowledged, and records per virtual second —
// each as a ratio to the run without the rate limit.
import { VirtualAction, VirtualTimeScheduler, from, lastValueFrom, toArray } from 'rxjs';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

interface Workload {
  readonly name: string;
  readonly records: number;
  readonly bytes: number;
  readonly shards: number;
}

const WORKLOADS: Workload[] = [
  { name: '20,000 × 100 B, 4 shards', records: 20_000, bytes: 100, shards: 4 },
  { name: '2,000 × 10 KB, 4 shards', records: 2_000, bytes: 10_000, shards: 4 },
];
const SETTINGS: Array<number | undefined> = [undefined, 80, 100, 150];

interface Result {
  readonly requests: number;
  readonly throttledRequests: number;
  readonly refusedEntries: number;
  readonly virtualSeconds: number;
  readonly wallMs: number;
}

/** A deterministic [0, 1) source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(workload: Workload, rateLimit: number | undefined): Promise<Result> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const fake = new FakeKinesis({ scheduler, limits: true });
  fake.createStream('out', workload.shards);
  let requests = 0;
  let throttledRequests = 0;
  const port: KinesisPort = {
    send: ((command: object, options: object) => {
      const answer = (fake.send as unknown as (c: object, o: object) => PromiseLike<unknown>)(
        command,
        options,
      );
      if (command.constructor.name !== 'PutRecordsCommand') return answer;
      requests += 1;
      return {
        then: (ok: (v: unknown) => void, bad: (e: unknown) => void) =>
          answer.then((output) => {
            if (((output as { FailedRecordCount?: number }).FailedRecordCount ?? 0) > 0)
              throttledRequests += 1;
            ok(output);
          }, bad),
      };
    }) as unknown as KinesisPort['send'],
  };
  const random = seeded(1);
  const input = Array.from({ length: workload.records }, (_, i) => ({
    data: new Uint8Array(workload.bytes),
    partitionKey: `key-${Math.floor(random() * 1e9)}-${i}`,
  }));
  const started = performance.now();
  const acks = lastValueFrom(
    from(input).pipe(
      writeToKinesis(
        {
          stream: 'out',
          client: port,
          flushBuffer: { timeoutMs: 50 },
          retry: { maxRetries: 1000 },
          random: seeded(7),
          ...(rateLimit !== undefined ? { rateLimit } : {}),
        },
        scheduler,
      ),
      toArray(),
    ),
  );
  scheduler.flush();
  const done = await acks;
  if (done.length !== workload.records) throw new Error(`only ${done.length} acks`);
  return {
    requests,
    throttledRequests,
    refusedEntries: fake.throttleCounts.PutRecordsCommand,
    virtualSeconds: scheduler.now() / 1000,
    wallMs: performance.now() - started,
  };
}

const ratio = (value: number, base: number): string =>
  base === 0 ? (value === 0 ? '—' : '∞') : `${(value / base).toFixed(2)}×`;

export async function benchRateLimit(): Promise<void> {
  for (const workload of WORKLOADS) {
    console.log(`\n${workload.name}, all at once (virtual time)`);
    console.log(
      'rateLimit | PutRecords | throttled requests | refused entries | virtual s | records/s | vs off: throttled requests, records/s',
    );
    let base: Result | undefined;
    for (const setting of SETTINGS) {
      const result = await run(workload, setting);
      base ??= result;
      const perSecond = workload.records / result.virtualSeconds;
      const basePerSecond = workload.records / base.virtualSeconds;
      console.log(
        [
          setting === undefined ? 'off' : `${setting}`,
          result.requests,
          result.throttledRequests,
          result.refusedEntries,
          result.virtualSeconds.toFixed(2),
          Math.round(perSecond),
          `${ratio(result.throttledRequests, base.throttledRequests)}, ${ratio(perSecond, basePerSecond)}`,
        ].join(' | '),
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRateLimit();
