// `npm start`: the main job, on an embedded Kinesis emulator it starts itself.
//
//   demo events -> toKinesis -> user_behavior (4 shards)
//   user_behavior -> fromKinesis -> running count per behavior -> writeToKinesis -> behavior_counts
//   acknowledgements -> checkpoints()  (the checkpoint only passes records the sink has stored)
//
// Then it writes more events, resumes from the JSON checkpoint and reads exactly the new
// ones, checks the counts stream, prints a summary, stops the emulator and exits 0.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { Observable, from, interval, last, lastValueFrom, map, take, tap } from 'rxjs';
import {
  type CheckpointState,
  type KinesisRecord,
  checkpoints,
  createKinesisClient,
  fromKinesis,
  toKinesis,
  writeToKinesis,
} from '../src/index.js';
import { startKinesisLocal } from '../src/node/index.js';

// The pinned SDK warns on Node 20 that its later versions will need Node 22; not news for a demo.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const EVENTS = Number(process.env['DEMO_EVENTS'] ?? 3000);
const MORE_EVENTS = Math.max(1, Math.round(EVENTS / 6));
const BEHAVIORS = ['pv', 'cart', 'fav', 'buy'] as const;

interface UserBehavior {
  user_id: number;
  item_id: number;
  category_id: number;
  behavior: (typeof BEHAVIORS)[number];
  ts: string;
}

interface CountUpdate {
  data: string;
  partitionKey: string;
  /** The source record, so acknowledgements can advance the source checkpoint. */
  source: KinesisRecord;
}

// A small deterministic generator (mulberry32), so every run shows the same data.
function randomFrom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function events(count: number, seed: number): UserBehavior[] {
  const random = randomFrom(seed);
  const start = Date.UTC(2026, 10, 22, 8, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const roll = random();
    const behavior = roll < 0.7 ? 'pv' : roll < 0.85 ? 'cart' : roll < 0.95 ? 'fav' : 'buy';
    return {
      user_id: 1 + Math.floor(random() * 500),
      item_id: 1 + Math.floor(random() * 5000),
      category_id: 1 + Math.floor(random() * 40),
      behavior,
      ts: new Date(start + i * 250).toISOString(),
    };
  });
}

const decoder = new TextDecoder();
const tty = process.stdout.isTTY === true;

function progressLine(perShard: Map<string, number>, total: number, goal: number): string {
  const shards = [...perShard.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shard, n]) => `${shard.replace('shardId-', '#').replace(/#0+(?=\d)/, '#')} ${n}`)
    .join('  ');
  const width = 24;
  const filled = Math.round((total / goal) * width);
  return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${total}/${goal}  ${shards}`;
}

/** Shows records per shard while `records` runs: one live line on a terminal, a line a second otherwise. */
function withProgress<T extends KinesisRecord>(
  goal: number,
): (records: Observable<T>) => Observable<T> {
  return (records) =>
    new Observable<T>((subscriber) => {
      const perShard = new Map<string, number>();
      let total = 0;
      const show = (): void => {
        const line = progressLine(perShard, total, goal);
        if (tty) process.stdout.write(`\r${line}`);
        else console.log(line);
      };
      const ticker = interval(tty ? 100 : 1000).subscribe(show);
      const subscription = records.subscribe({
        next: (record) => {
          total += 1;
          perShard.set(record.shardId, (perShard.get(record.shardId) ?? 0) + 1);
          subscriber.next(record);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          show();
          if (tty) process.stdout.write('\n');
          subscriber.complete();
        },
      });
      return () => {
        ticker.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log('rx-kinesis demo: starting kinesis-local on free loopback ports ...');
  const server = await startKinesisLocal();
  const connection = {
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: '000000000001', secretAccessKey: 'demo' },
  };
  const client = createKinesisClient(connection) as KinesisClient;
  try {
    const { CreateStreamCommand, waitUntilStreamExists } = await import('@aws-sdk/client-kinesis');
    for (const [name, shards] of [
      ['user_behavior', 4],
      ['behavior_counts', 1],
    ] as const) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    }
    console.log(
      `  emulator at ${server.endpoint}; streams user_behavior (4 shards), behavior_counts (1)`,
    );

    // 1. Write the sample events, keyed by user.
    const write = async (batch: UserBehavior[]): Promise<void> => {
      const sink = toKinesis<{ data: string; partitionKey: string }>({
        stream: 'user_behavior',
        client,
      });
      from(
        batch.map((e) => ({ data: JSON.stringify(e), partitionKey: String(e.user_id) })),
      ).subscribe(sink);
      const summary = await sink.done;
      console.log(`  wrote ${summary.records} events in ${summary.requests} PutRecords requests`);
    };
    console.log(`\n1. write ${EVENTS} user_behavior events with toKinesis`);
    await write(events(EVENTS, 42));

    // 2. The pipeline: read, count per behavior, write the running counts, checkpoint acks.
    console.log(
      '\n2. fromKinesis -> count by behavior -> writeToKinesis(behavior_counts) -> checkpoints()',
    );
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    const pipeline = (checkpoint: CheckpointState | undefined, goal: number) => {
      const writer = writeToKinesis<CountUpdate>({ stream: 'behavior_counts', client });
      return fromKinesis({
        stream: 'user_behavior',
        client,
        initialPosition: 'TRIM_HORIZON',
        ...(checkpoint !== undefined ? { checkpoint } : {}),
        paused: writer.paused$,
        polling: { intervalMs: 200 },
      }).pipe(
        take(goal),
        withProgress(goal),
        map((record): CountUpdate => {
          const position = `${record.shardId}/${record.sequenceNumber}`;
          if (seen.has(position)) throw new Error(`record ${position} was read twice`);
          seen.add(position);
          const event = JSON.parse(decoder.decode(record.data)) as UserBehavior;
          const count = (counts.get(event.behavior) ?? 0) + 1;
          counts.set(event.behavior, count);
          return {
            data: JSON.stringify({ behavior: event.behavior, count, at: event.ts }),
            partitionKey: event.behavior,
            source: record,
          };
        }),
        writer,
        map((ack) => ack.value.source),
        checkpoints(checkpoint),
        last(),
        tap(() => {
          const s = writer.summary;
          console.log(
            `  sink: ${s.records} acknowledged, ${s.requests} requests, ${s.retries} retries`,
          );
        }),
      );
    };
    const firstState = await lastValueFrom(pipeline(undefined, EVENTS));
    const saved = JSON.stringify(firstState);
    const positions = Object.keys(firstState.shards).length;
    console.log(`  checkpoint: ${positions} shard positions, ${saved.length} bytes of JSON`);

    // 3. More events arrive while we are "stopped"; resume from the JSON checkpoint.
    console.log(`\n3. write ${MORE_EVENTS} more events, resume from the JSON checkpoint`);
    await write(events(MORE_EVENTS, 7));
    const resumed = await lastValueFrom(
      pipeline(JSON.parse(saved) as CheckpointState, MORE_EVENTS),
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total !== EVENTS + MORE_EVENTS) {
      throw new Error(`expected ${EVENTS + MORE_EVENTS} events counted, got ${total}`);
    }
    console.log(`  resumed: read exactly the ${MORE_EVENTS} new events (no loss, no duplicates)`);

    // 4. Check the output stream: the last count per behavior equals what we counted.
    console.log('\n4. read behavior_counts back');
    const lastCounts = new Map<string, number>();
    await lastValueFrom(
      fromKinesis({ stream: 'behavior_counts', client, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(total),
        tap((record) => {
          const update = JSON.parse(decoder.decode(record.data)) as {
            behavior: string;
            count: number;
          };
          lastCounts.set(
            update.behavior,
            Math.max(lastCounts.get(update.behavior) ?? 0, update.count),
          );
        }),
      ),
    );
    for (const [behavior, count] of counts) {
      if (lastCounts.get(behavior) !== count) {
        throw new Error(
          `behavior_counts says ${behavior}=${lastCounts.get(behavior)}, counted ${count}`,
        );
      }
    }

    const seconds = (performance.now() - started) / 1000;
    console.log('\nSummary');
    console.log('  behavior  events');
    for (const behavior of BEHAVIORS) {
      console.log(`  ${behavior.padEnd(8)}  ${String(counts.get(behavior) ?? 0).padStart(6)}`);
    }
    console.log(`  ${'total'.padEnd(8)}  ${String(total).padStart(6)}`);
    console.log(
      `  checkpoint after resume: ${Object.keys(resumed.shards).length} shards, start pinned at ${JSON.stringify(resumed.starts['user_behavior'])}`,
    );
    console.log(`  behavior_counts verified; done in ${seconds.toFixed(1)} s`);
  } finally {
    client.destroy();
    await server.stop();
  }
}

// No process.exit on success: a finished pipeline must let the process exit by itself.
main().catch((error: unknown) => {
  console.error('demo failed:', error);
  process.exitCode = 1;
});
