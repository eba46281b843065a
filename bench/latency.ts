// `npx tsx bench/latency.ts`: end-to-end latency, put → record emitted by fromKinesis, p50/p99,
// for polling (GetRecords every 200 ms when caught up) and enhanced fan-out, in the same run,
// reading the same puts on kinesis-local. kinesis-local sends an EFO event once a second, so
// its EFO figure measures the emulator's cadence; on AWS, EFO pushes within ~70 ms.
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  type KinesisClient,
  PutRecordCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import type { Subscription } from 'rxjs';
import { createKinesisClient } from '../src/client/createKinesisClient.js';
import { startKinesisLocal } from '../src/node/startKinesisLocal.js';
import { fromKinesis } from '../src/source/fromKinesis.js';

const RECORDS = 40;
const SPACING_MS = 150;

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchLatency(): Promise<void> {
  const server = await startKinesisLocal({ env: { REGISTER_STREAM_CONSUMER_DURATION: '0ms' } });
  const client = createKinesisClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: '123456789012', secretAccessKey: 'bench' },
  }) as KinesisClient;
  const subscriptions: Subscription[] = [];
  try {
    await client.send(new CreateStreamCommand({ StreamName: 'latency', ShardCount: 1 }));
    await waitUntilStreamExists(
      { client, maxWaitTime: 30, minDelay: 1 },
      { StreamName: 'latency' },
    );
    const putAt = new Map<string, number>();
    const latencies: Record<'POLLING' | 'EFO', number[]> = { POLLING: [], EFO: [] };
    for (const publisher of ['POLLING', 'EFO'] as const) {
      subscriptions.push(
        fromKinesis({
          stream: 'latency',
          client,
          initialPosition: 'LATEST',
          recordPublisher: publisher,
          efo: { consumerName: 'latency-bench' },
        }).subscribe((record) => {
          const sent = putAt.get(new TextDecoder().decode(record.data));
          if (sent !== undefined) latencies[publisher].push(performance.now() - sent);
        }),
      );
    }
    // Both readers live: the EFO consumer registered and its first event delivered.
    await sleep(3_000);
    for (let i = 0; i < RECORDS; i++) {
      const id = `r${i}`;
      putAt.set(id, performance.now());
      await client.send(
        new PutRecordCommand({
          StreamName: 'latency',
          PartitionKey: id,
          Data: new TextEncoder().encode(id),
        }),
      );
      await sleep(SPACING_MS);
    }
    await sleep(3_000);
    console.log(`put → emitted, ${RECORDS} records, one shard, kinesis-local:`);
    for (const publisher of ['POLLING', 'EFO'] as const) {
      const sorted = [...latencies[publisher]].sort((a, b) => a - b);
      console.log(
        `  ${publisher.padEnd(7)} received ${String(sorted.length).padStart(3)}  ` +
          `p50 ${quantile(sorted, 0.5).toFixed(0).padStart(5)} ms  ` +
          `p99 ${quantile(sorted, 0.99).toFixed(0).padStart(5)} ms`,
      );
    }
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    await sleep(300); // let the LAZY deregistration go out
    client.destroy();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchLatency();
