// `npx tsx bench/consume.ts`: consuming with fromKinesis vs a hand-written AWS SDK loop, same run,
// same kinesalite, same data, same client settings; then the in-process ceiling with FakeKinesis.
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { VirtualTimeScheduler, lastValueFrom, take, count } from 'rxjs';
import { createKinesisClient } from '../src/client/createKinesisClient.js';
import { startKinesaliteProcess } from './kinesaliteProcess.js';
import { versionsLine } from './versions.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const N = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const SHARDS = 4;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PAYLOAD = new Uint8Array(100).fill(120);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const rate = (n: number, ms: number): string =>
  `${Math.round((n / ms) * 1000).toLocaleString('en')} rec/s`;

async function fill(client: KinesisClient, stream: string): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: SHARDS }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < N) {
      const start = next;
      next = Math.min(N, start + 500);
      const Records = [];
      for (let i = start; i < next; i++) Records.push({ PartitionKey: `k${i}`, Data: PAYLOAD });
      const out = await client.send(new PutRecordsCommand({ StreamName: stream, Records }));
      if ((out.FailedRecordCount ?? 0) > 0) throw new Error('PutRecords failed partially');
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The baseline: per shard, GetShardIterator(TRIM_HORIZON) then GetRecords back to back. */
async function handWrittenLoop(client: KinesisClient, stream: string): Promise<number> {
  const listed = await client.send(new ListShardsCommand({ StreamName: stream }));
  let total = 0;
  await Promise.all(
    (listed.Shards ?? []).map(async (shard) => {
      const first = await client.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = first.ShardIterator;
      while (iterator !== undefined && total < N) {
        const out = await client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
        );
        const got = out.Records?.length ?? 0;
        total += got;
        if (got === 0) break; // this shard is drained (all data was written before)
        iterator = out.NextShardIterator;
      }
    }),
  );
  return total;
}

/** Records read, wall ms, CPU ms (user + system of this process: kinesalite runs in another). */
async function timed(run: () => Promise<number>): Promise<[number, number, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const n = await run();
  const used = process.cpuUsage(cpu);
  return [n, performance.now() - started, (used.user + used.system) / 1000];
}

/** CPU ms per 10,000 records. */
const per10k = (cpuMs: number, n: number): number => (cpuMs / n) * 10_000;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export async function benchConsume(): Promise<void> {
  console.log(`versions: ${versionsLine()}`);
  const server = await startKinesaliteProcess();
  const client = createKinesisClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials,
  }) as KinesisClient;
  try {
    const filling = performance.now();
    await fill(client, 'bench-consume');
    console.log(
      `wrote ${N.toLocaleString('en')} × 100 B records to ${SHARDS} shards (kinesalite) in ${Math.round(performance.now() - filling)} ms`,
    );
    const sdk: number[] = [];
    const ours: number[] = [];
    const sdkCpu: number[] = [];
    const oursCpu: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const [n1, ms1, cpu1] = await timed(() => handWrittenLoop(client, 'bench-consume'));
      if (n1 !== N) throw new Error(`hand-written loop read ${n1} of ${N}`);
      sdk.push(ms1);
      sdkCpu.push(per10k(cpu1, N));
      const [n2, ms2, cpu2] = await timed(() =>
        lastValueFrom(
          fromKinesis({
            stream: 'bench-consume',
            region: 'us-east-1',
            endpoint: server.endpoint,
            credentials,
            initialPosition: 'TRIM_HORIZON',
          }).pipe(take(N), count()),
        ),
      );
      if (n2 !== N) throw new Error(`fromKinesis read ${n2} of ${N}`);
      ours.push(ms2);
      oursCpu.push(per10k(cpu2, N));
      console.log(
        `round ${round}: SDK loop ${rate(N, ms1)} (${Math.round(ms1)} ms, CPU ${per10k(cpu1, N).toFixed(0)} ms/10k), fromKinesis ${rate(N, ms2)} (${Math.round(ms2)} ms, CPU ${per10k(cpu2, N).toFixed(0)} ms/10k)`,
      );
    }
    const best = (xs: number[]): number => Math.min(...xs);
    console.log(
      `best: SDK loop ${rate(N, best(sdk))}, fromKinesis ${rate(N, best(ours))}, ratio fromKinesis/SDK = ${(best(sdk) / best(ours)).toFixed(2)}`,
    );
    console.log(
      `CPU per 10,000 records (this process; kinesalite runs in another), min / median of ${ROUNDS}: SDK loop ${best(sdkCpu).toFixed(0)} / ${median(sdkCpu).toFixed(0)} ms, fromKinesis ${best(oursCpu).toFixed(0)} / ${median(oursCpu).toFixed(0)} ms, ratio fromKinesis/SDK ${(best(oursCpu) / best(sdkCpu)).toFixed(2)} / ${(median(oursCpu) / median(sdkCpu)).toFixed(2)}`,
    );
  } finally {
    client.destroy();
    await server.stop();
  }

  // In-process ceiling: FakeKinesis answers synchronously; with a virtual-time scheduler
  // the 200 ms spacing costs nothing, so this is the CPU cost of the whole pipeline
  // (discovery, ordering, polling loop, record building, de-aggregation check, flattening).
  const scheduler = new VirtualTimeScheduler();
  const fake = new FakeKinesis({ scheduler });
  fake.createStream('ceiling', SHARDS);
  for (let i = 0; i < N; i++) fake.put('ceiling', `k${i}`, PAYLOAD);
  for (let round = 1; round <= ROUNDS; round++) {
    let seen = 0;
    const started = performance.now();
    const subscription = fromKinesis(
      { stream: 'ceiling', client: fake, initialPosition: 'TRIM_HORIZON' },
      scheduler,
    )
      .pipe(take(N))
      .subscribe(() => (seen += 1));
    scheduler.flush();
    subscription.unsubscribe();
    const ms = performance.now() - started;
    if (seen !== N) throw new Error(`ceiling read ${seen} of ${N}`);
    console.log(
      `in-process ceiling (FakeKinesis, virtual time) round ${round}: ${rate(N, ms)} (${Math.round(ms)} ms)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchConsume();
