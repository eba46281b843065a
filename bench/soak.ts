// `npm run soak` (10 minutes; `npm run soak -- --minutes 1` for a short run, or SOAK_MINUTES=1):
// copy a stream with fromKinesis → toKinesis for a while against kinesalite behind the fault
// proxy (throttling, 500s, connection resets, slow answers, partial PutRecords failures), with a
// SplitShard of the source every minute, while a producer writes numbered records with a known
// set of partition keys. At the end the target stream is read completely (without faults) and
// checked: records lost, duplicates, per-key order. The copy runs in a child process, so its
// RSS and CPU (process.cpuUsage) are the pipeline's own, not kinesalite's or the proxy's.
// The report is printed and written to .tmp/soak-<time>.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { map } from 'rxjs';
import { createKinesisClient } from '../src/client/createKinesisClient.js';
import { startKinesalite } from '../src/node/startKinesalite.js';
import { toKinesis } from '../src/sink/toKinesis.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { startFaultProxy } from '../test/support/faultProxy.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const SOURCE = 'soak-source';
const TARGET = 'soak-target';
const KEYS = 1024; // per-key ordering: a request holds at most one record per key
const SOURCE_SHARDS = 2;
const TARGET_SHARDS = 4;
const PRODUCER_BATCH = 100;
const PRODUCER_INTERVAL_MS = 200; // ~500 records/s
const SPLIT_EVERY_MS = 60_000;
const credentials = { accessKeyId: 'soak', secretAccessKey: 'soak' };

const clientFor = (endpoint: string): KinesisClient =>
  createKinesisClient({ region: 'us-east-1', endpoint, credentials }) as KinesisClient;

/** What a child reports, one JSON line each second and a last one when told to stop. */
interface Progress {
  readonly copied: number;
  readonly rss: number;
  readonly peakRss: number;
  readonly cpuMs: number;
  readonly final?: boolean;
  readonly error?: string;
}

// ---- the pipeline (child process) ---------------------------------------------------------

async function pipelineChild(endpoint: string): Promise<void> {
  const client = clientFor(endpoint);
  const cpuAtStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const report = (final: boolean, error?: string): void => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    const cpu = process.cpuUsage(cpuAtStart);
    const line: Progress = {
      copied: sink.summary.records,
      rss,
      peakRss,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...(final ? { final } : {}),
      ...(error === undefined ? {} : { error }),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  };
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const sink = toKinesis<{ data: Uint8Array; partitionKey: string }>({
    stream: TARGET,
    client,
    ordering: 'per-key',
    flushBuffer: { timeoutMs: 100 },
  });
  const subscription = fromKinesis({
    stream: SOURCE,
    client,
    initialPosition: 'TRIM_HORIZON',
  })
    .pipe(map((r) => ({ data: r.data, partitionKey: r.partitionKey })))
    .subscribe(sink);
  const ticker = setInterval(() => report(false), 1000);
  sink.done.catch((error: unknown) => {
    report(false, String(error));
  });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() !== 'stop') continue;
    subscription.unsubscribe();
    clearInterval(ticker);
    clearInterval(sampler);
    report(true);
    client.destroy();
    process.exit(0);
  }
}

// ---- the driver -----------------------------------------------------------------------------

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

async function openShards(
  client: KinesisClient,
  stream: string,
): Promise<Array<{ id: string; start: bigint; end: bigint }>> {
  const out = await client.send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? [])
    .filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)
    .map((s) => ({
      id: s.ShardId ?? '',
      start: BigInt(s.HashKeyRange?.StartingHashKey ?? '0'),
      end: BigInt(s.HashKeyRange?.EndingHashKey ?? '0'),
    }));
}

/** Splits the open shard with the widest hash range in the middle. */
async function splitWidest(client: KinesisClient, stream: string): Promise<string> {
  const shards = await openShards(client, stream);
  const widest = shards.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const middle = widest.start + (widest.end - widest.start + 1n) / 2n;
  await client.send(
    new SplitShardCommand({
      StreamName: stream,
      ShardToSplit: widest.id,
      NewStartingHashKey: middle.toString(),
    }),
  );
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  return widest.id;
}

/** Reads a whole stream, shard by shard from TRIM_HORIZON, without faults. */
async function readAll(
  client: KinesisClient,
  stream: string,
): Promise<Array<{ key: string; n: number }>> {
  const listed = await client.send(new ListShardsCommand({ StreamName: stream }));
  const decoder = new TextDecoder();
  const all: Array<{ key: string; n: number }> = [];
  for (const shard of listed.Shards ?? []) {
    const first = await client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = first.ShardIterator;
    while (iterator !== undefined) {
      const out = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
      );
      for (const r of out.Records ?? []) {
        const [key, n] = decoder.decode(r.Data).split(':');
        all.push({ key: key ?? '', n: Number(n) });
      }
      if ((out.Records?.length ?? 0) === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return all;
}

async function soak(minutes: number): Promise<void> {
  const server = await startKinesalite();
  const direct = clientFor(server.endpoint);
  await createStream(direct, SOURCE, SOURCE_SHARDS);
  await createStream(direct, TARGET, TARGET_SHARDS);

  // faults, each counted when injected
  const faults = {
    throttle: 0,
    serverError: 0,
    reset: 0,
    slow: 0,
    putRecordsFailedEntries: 0,
  };
  const chance = (p: number, kind: keyof typeof faults) => (): boolean => {
    if (Math.random() >= p) return false;
    faults[kind] += 1;
    return true;
  };
  const throttle = chance(0.03, 'throttle');
  const serverError = chance(0.01, 'serverError');
  const reset = chance(0.005, 'reset');
  const slow = chance(0.02, 'slow');
  const proxy = await startFaultProxy(server.endpoint, {
    putRecordsFailureRate: 0.05,
    throttle: () => throttle(),
    serverError: () => serverError(),
    reset: () => reset(),
    delayMs: () => (slow() ? 500 : 0),
  });

  // the pipeline, in its own process, through the proxy
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--pipeline', proxy.endpoint],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  let first: Progress | undefined;
  let last: Progress | undefined;
  let finalReport: ((p: Progress) => void) | undefined;
  const childExited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const p = JSON.parse(line) as Progress;
    first ??= p;
    last = p;
    if (p.error !== undefined) console.error(`pipeline error: ${p.error}`);
    if (p.final === true) finalReport?.(p);
  });

  // the producer: numbered records per key, each key's records in order, straight to kinesalite
  const produced = new Map<string, number>();
  let producedTotal = 0;
  let producing = true;
  const encoder = new TextEncoder();
  const producer = (async () => {
    let k = 0;
    while (producing) {
      const started = Date.now();
      const Records = [];
      for (let i = 0; i < PRODUCER_BATCH; i++) {
        const key = `key-${k++ % KEYS}`;
        const n = produced.get(key) ?? 0;
        produced.set(key, n + 1);
        Records.push({ PartitionKey: key, Data: encoder.encode(`${key}:${n}`) });
      }
      const out = await direct.send(new PutRecordsCommand({ StreamName: SOURCE, Records }));
      if ((out.FailedRecordCount ?? 0) > 0) throw new Error('producer: PutRecords failed');
      producedTotal += Records.length;
      const wait = PRODUCER_INTERVAL_MS - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  const started = Date.now();
  const splits: string[] = [];
  const end = started + minutes * 60_000;
  let nextSplit = started + SPLIT_EVERY_MS / 2; // then every minute
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1000));
    if (Date.now() >= nextSplit && Date.now() < end) {
      splits.push(await splitWidest(direct, SOURCE));
      nextSplit += SPLIT_EVERY_MS;
    }
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (elapsed % 30 === 0) {
      console.log(
        `${elapsed} s: produced ${producedTotal}, copied ${last?.copied ?? 0}, RSS ${mib(last?.rss ?? 0)}`,
      );
    }
  }
  producing = false;
  await producer;
  const producedSeconds = (Date.now() - started) / 1000;

  // let the pipeline catch up (still under faults), then stop it
  const drainDeadline = Date.now() + 120_000;
  while ((last?.copied ?? 0) < producedTotal && Date.now() < drainDeadline) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const drained = (last?.copied ?? 0) >= producedTotal;
  const copySeconds = (Date.now() - started) / 1000;
  const final = await new Promise<Progress>((resolve) => {
    finalReport = resolve;
    child.stdin.write('stop\n');
  });
  await childExited;

  // check the target without faults
  const target = await readAll(direct, TARGET);
  const seen = new Map<string, Set<number>>();
  const highest = new Map<string, number>();
  let duplicates = 0;
  let orderViolations = 0;
  for (const { key, n } of target) {
    const set = seen.get(key) ?? new Set<number>();
    seen.set(key, set);
    if (set.has(n)) {
      duplicates += 1;
      continue;
    }
    set.add(n);
    if (n < (highest.get(key) ?? -1)) orderViolations += 1;
    highest.set(key, Math.max(n, highest.get(key) ?? -1));
  }
  let lost = 0;
  for (const [key, count] of produced) {
    const set = seen.get(key);
    for (let n = 0; n < count; n++) if (set?.has(n) !== true) lost += 1;
  }
  const copied = target.length - duplicates;
  const report = {
    date: new Date().toISOString(),
    minutes,
    keys: KEYS,
    sourceShards: { initial: SOURCE_SHARDS, splits: splits.length },
    produced: producedTotal,
    targetRecords: target.length,
    drainedWithin120s: drained,
    lost,
    duplicates,
    orderViolations,
    throughput: {
      producedPerSecond: Math.round(producedTotal / producedSeconds),
      copiedPerSecond: Math.round(copied / copySeconds),
    },
    pipeline: {
      rssStartMiB: round1((first?.rss ?? 0) / 2 ** 20),
      rssEndMiB: round1(final.rss / 2 ** 20),
      rssPeakMiB: round1(final.peakRss / 2 ** 20),
      cpuMs: Math.round(final.cpuMs),
      cpuMsPer10kRecords: round1((final.cpuMs / Math.max(1, final.copied)) * 10_000),
      acknowledged: final.copied,
    },
    faults: { ...faults, putRecordsFailedEntries: proxy.stats.failedEntries },
    calls: proxy.stats.calls,
  };
  direct.destroy();
  await proxy.stop();
  await server.stop();

  console.log(
    [
      `soak ${minutes} min: produced ${report.produced} records (${KEYS} keys, ${report.throughput.producedPerSecond}/s), ${SOURCE_SHARDS} source shards + ${splits.length} splits`,
      `target: ${report.targetRecords} records${drained ? '' : ' (NOT drained within 120 s of the producer stopping)'}; lost ${lost}, duplicates ${duplicates}, per-key order violations ${orderViolations}`,
      `pipeline: RSS ${report.pipeline.rssStartMiB} → ${report.pipeline.rssEndMiB} MiB (peak ${report.pipeline.rssPeakMiB}), CPU ${report.pipeline.cpuMsPer10kRecords} ms per 10,000 records, ${report.throughput.copiedPerSecond} records/s copied`,
      `faults: ${Object.entries(report.faults)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    ].join('\n'),
  );
  mkdirSync('.tmp', { recursive: true });
  const file = `.tmp/soak-${report.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`report: ${file}`);
  if (lost > 0) process.exitCode = 1;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const round1 = (x: number): number => Math.round(x * 10) / 10;

if (process.argv[2] === '--pipeline') {
  await pipelineChild(process.argv[3] ?? '');
} else {
  const minutes = Number(option('minutes') ?? process.env['SOAK_MINUTES'] ?? 10);
  if (!(minutes > 0)) throw new Error(`--minutes: expected a positive number, got ${minutes}`);
  await soak(minutes);
}
