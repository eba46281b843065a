// `npx tsx bench/sink.ts`: the sink against baselines measured in the same run, on kinesalite.
// 1. records/s of toKinesis vs a hand-written PutRecords loop (batches of 500, 16 in flight);
// 2. PutRecords requests per 10,000 records;
// 3. peak RSS of a copy pipeline fromKinesis → toKinesis whose sink is throttled to a tenth
//    of the source rate, for N and 10·N source records, each in its own child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { lastValueFrom, range, map, take, tap } from 'rxjs';
import { createKinesisClient } from '../src/client/createKinesisClient.js';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { toKinesis } from '../src/sink/toKinesis.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { startKinesaliteProcess } from './kinesaliteProcess.js';

const RECORDS = 30_000;
const ROUNDS = 2;
const RSS_SMALL = 10_000;
const MAX_BUFFERED = 2_000;
const PAYLOAD = 'x'.repeat(100);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const clientFor = (endpoint: string): KinesisClient =>
  createKinesisClient({ region: 'us-east-1', endpoint, credentials }) as KinesisClient;

async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

/** The baseline: PutRecords in batches of 500, `inflight` at a time, failed entries re-sent. */
async function handWrittenLoop(
  client: KinesisClient,
  stream: string,
  n: number,
  inflight: number,
): Promise<number> {
  const encoder = new TextEncoder();
  let next = 0;
  let requests = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const start = next;
      const end = Math.min(n, start + 500);
      next = end;
      let entries: PutRecordsRequestEntry[] = [];
      for (let i = start; i < end; i++) {
        entries.push({ Data: encoder.encode(`${i}${PAYLOAD}`), PartitionKey: `k${i}` });
      }
      while (entries.length > 0) {
        requests += 1;
        const out = await client.send(
          new PutRecordsCommand({ StreamName: stream, Records: entries }),
        );
        entries = entries.filter((_, i) => out.Records?.[i]?.ErrorCode !== undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  return requests;
}

/** A port whose PutRecords admits at most `recordsPerSecond` records per second (a slow sink). */
function throttled(port: KinesisPort, recordsPerSecond: number): KinesisPort {
  let nextFree = Date.now();
  const send = (async (
    command: { constructor: { name: string }; input: { Records?: unknown[] } },
    options?: object,
  ) => {
    if (command.constructor.name === 'PutRecordsCommand') {
      const now = Date.now();
      const start = Math.max(now, nextFree);
      nextFree = start + ((command.input.Records?.length ?? 0) * 1000) / recordsPerSecond;
      if (start > now) await new Promise((r) => setTimeout(r, start - now));
    }
    return (port.send as unknown as (c: object, o?: object) => Promise<unknown>).call(
      port,
      command,
      options,
    );
  }) as unknown as KinesisPort['send'];
  return { send };
}

/** Child process: copy `n` records from `source` to `target` through a throttled sink; print peak RSS. */
async function copyChild(
  endpoint: string,
  source: string,
  target: string,
  n: number,
  rate: number,
): Promise<void> {
  const client = clientFor(endpoint);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = Date.now();
  const sink = toKinesis({
    stream: target,
    client: throttled(client, rate),
    flushBuffer: { timeoutMs: 200 },
    requests: { maxBuffered: MAX_BUFFERED },
  });
  let maxBehind = 0;
  let read = 0;
  // the source overshoots a pause by at most one GetRecords per shard: keep those small
  fromKinesis({
    stream: source,
    client,
    initialPosition: 'TRIM_HORIZON',
    paused: sink.paused$,
    polling: { maxRecords: 500 },
  })
    .pipe(
      take(n),
      tap(() => {
        read += 1;
        maxBehind = Math.max(maxBehind, read - sink.summary.records);
      }),
    )
    .subscribe(sink);
  const summary = await sink.done;
  clearInterval(sampler);
  client.destroy();
  (globalThis as { gc?: () => void }).gc?.();
  const retainedHeap = process.memoryUsage().heapUsed;
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(
    JSON.stringify({
      records: summary.records,
      seconds: (Date.now() - started) / 1000,
      peakRss: peak,
      maxRss: process.resourceUsage().maxRSS * 1024,
      maxBehind,
      retainedHeap,
    }) + '\n',
  );
}

interface ChildResult {
  records: number;
  seconds: number;
  peakRss: number;
  maxRss: number;
  maxBehind: number;
  retainedHeap: number;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`child exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function benchSink(): Promise<void> {
  const server = await startKinesaliteProcess();
  const client = clientFor(server.endpoint);
  try {
    await createStream(client, 'bench-loop', 4);
    await createStream(client, 'bench-sink', 4);

    // warm-up: connections and JIT for both paths
    await handWrittenLoop(client, 'bench-loop', 2000, 16);
    const warm = toKinesis({ stream: 'bench-sink', client });
    range(0, 2000)
      .pipe(map((i) => ({ data: `${i}${PAYLOAD}`, partitionKey: `k${i}` })))
      .subscribe(warm);
    await warm.done;

    // alternate the two (kinesalite slows down as it fills), each on its own stream
    let loopSeconds = 0;
    let sinkSeconds = 0;
    let loopRequests = 0;
    let sinkRequests = 0;
    let loopCpuMs = 0;
    let sinkCpuMs = 0;
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let t = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      await createStream(client, `bench-sink-${round}`, 4);
      await createStream(client, `bench-loop-${round}`, 4);
      t = Date.now();
      let cpu = process.cpuUsage();
      const sink = toKinesis({ stream: `bench-sink-${round}`, client });
      range(0, RECORDS)
        .pipe(map((i) => ({ data: `${i}${PAYLOAD}`, partitionKey: `k${i}` })))
        .subscribe(sink);
      sinkRequests += (await sink.done).requests;
      sinkSeconds += (Date.now() - t) / 1000;
      sinkCpuMs += cpuMs(cpu);
      t = Date.now();
      cpu = process.cpuUsage();
      loopRequests += await handWrittenLoop(client, `bench-loop-${round}`, RECORDS, 16);
      loopSeconds += (Date.now() - t) / 1000;
      loopCpuMs += cpuMs(cpu);
    }
    const loopRate = (RECORDS * ROUNDS) / loopSeconds;
    const sinkRate = (RECORDS * ROUNDS) / sinkSeconds;
    const summary = { requests: sinkRequests / ROUNDS, records: RECORDS };
    loopRequests /= ROUNDS;

    console.log(
      `records of ~${PAYLOAD.length + 5} B, ${RECORDS} per run, ${ROUNDS} alternating runs each, kinesalite, 4 shards, 16 requests in flight`,
    );
    console.log(
      `hand-written PutRecords loop: ${loopRate.toFixed(0)} records/s (${((loopRequests / RECORDS) * 10_000).toFixed(0)} requests per 10,000, CPU ${((loopCpuMs / (RECORDS * ROUNDS)) * 10_000).toFixed(0)} ms per 10,000)`,
    );
    console.log(
      `toKinesis:                    ${sinkRate.toFixed(0)} records/s (${((summary.requests / summary.records) * 10_000).toFixed(0)} requests per 10,000, CPU ${((sinkCpuMs / (RECORDS * ROUNDS)) * 10_000).toFixed(0)} ms per 10,000)`,
    );
    console.log(
      `ratio toKinesis / loop:       ${(sinkRate / loopRate).toFixed(2)} (rate), ${(sinkCpuMs / loopCpuMs).toFixed(2)} (CPU per record; kinesalite runs in another process)`,
    );

    // copy pipeline: the source stream holds 10·N records; the source rate is measured once
    const large = RSS_SMALL * 10;
    await createStream(client, 'bench-source', 4);
    await handWrittenLoop(client, 'bench-source', large, 16);
    t = Date.now();
    await lastValueFrom(
      fromKinesis({ stream: 'bench-source', client, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(large),
      ),
    );
    const sourceRate = large / ((Date.now() - t) / 1000);
    const sinkLimit = Math.max(500, Math.round(sourceRate / 10));
    await createStream(client, 'bench-copy-small', 4);
    await createStream(client, 'bench-copy-large', 4);
    const small = await runChild([
      server.endpoint,
      'bench-source',
      'bench-copy-small',
      String(RSS_SMALL),
      String(sinkLimit),
    ]);
    const big = await runChild([
      server.endpoint,
      'bench-source',
      'bench-copy-large',
      String(large),
      String(sinkLimit),
    ]);
    console.log(
      `copy fromKinesis → toKinesis, source ${sourceRate.toFixed(0)} records/s, sink throttled to ${sinkLimit} records/s, requests.maxBuffered ${MAX_BUFFERED}, polling.maxRecords 500, each in a child process:`,
    );
    for (const [name, r] of [
      [`${RSS_SMALL} records`, small],
      [`${large} records`, big],
    ] as const) {
      console.log(
        `  ${name.padEnd(15)} ${r.seconds.toFixed(1)} s, peak RSS ${mib(r.peakRss)} (maxRSS ${mib(r.maxRss)}), at most ${r.maxBehind} records read but not acknowledged, heap after GC ${mib(r.retainedHeap)}`,
      );
    }
    console.log(
      `  peak RSS ratio large / small (maxRSS, the kernel's true peak): ${(big.maxRss / small.maxRss).toFixed(2)}; heap-after-GC ratio ${(big.retainedHeap / small.retainedHeap).toFixed(2)} (flat memory: ≈ 1 while the source is 10x larger)`,
    );
  } finally {
    client.destroy();
    await server.stop();
  }
}

if (process.argv[2] === '--child') {
  const [endpoint, source, target, n, rate] = process.argv.slice(3);
  await copyChild(endpoint ?? '', source ?? '', target ?? '', Number(n), Number(rate));
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchSink();
}
