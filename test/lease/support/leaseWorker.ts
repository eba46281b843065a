// A worker process for the multi-process lease tests: reads a stream with
// leases, saves with persistCheckpoints(leases), and reports, as JSON lines on
// stdout, every record it handled, every checkpoint it saved (after the save
// resolved), every lease it lost and the shards it holds.
// Settings come from the environment (see `WorkerEnv` in leaseCluster.ts).
// On a "stop" line on stdin it stops gracefully (saves, releases, exits).
import { createInterface } from 'node:readline';
import { tap, type Subscription } from 'rxjs';
import {
  checkpoints,
  createKinesisClient,
  dynamoDBLeases,
  fromKinesis,
  persistCheckpoints,
  type CheckpointState,
  type CheckpointStore,
  type KinesisPort,
} from '../../../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`leaseWorker: ${name} is not set`);
  return value;
};

const workerId = env('LW_WORKER_ID');
const stream = env('LW_STREAM');
const saveIntervalMs = Number(process.env.LW_SAVE_INTERVAL_MS ?? '500');
const credentials = { accessKeyId: env('LW_ACCESS_KEY_ID'), secretAccessKey: 'secret' };

const emit = (line: Record<string, unknown>): void => {
  // Pipes are synchronous on Linux: a line written is a line the parent gets, even after kill -9.
  process.stdout.write(`${JSON.stringify({ worker: workerId, at: Date.now(), ...line })}\n`);
};

const leases = dynamoDBLeases({
  tableName: env('LW_TABLE'),
  workerId,
  failoverTimeMs: Number(env('LW_FAILOVER_MS')),
  dynamodb: {
    region: 'us-east-1',
    endpoint: env('LW_DYNAMODB_ENDPOINT'),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  },
});

// The positions of the shards still held once a save resolved: those the save wrote (or had written).
const positions = (state: CheckpointState): Record<string, string> => {
  const held = new Set(leases.heldShards().map((s) => s.shardId));
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(state.shards)) {
    const shardId = key.slice(key.indexOf('/') + 1);
    if (!held.has(shardId)) continue;
    out[shardId] = entry.finished === true ? 'SHARD_END' : (entry.sequenceNumber ?? '');
  }
  return out;
};

let latest: CheckpointState | undefined;
let lastHeld = '';
const reportHeld = (): void => {
  const held = leases
    .heldShards()
    .map((s) => s.shardId)
    .sort();
  const text = held.join(',');
  if (text !== lastHeld) {
    lastHeld = text;
    emit({ type: 'held', shards: held });
  }
};
const heldTimer = setInterval(reportHeld, 100);

leases.losses.subscribe((error) => emit({ type: 'lost', shardId: error.shardId }));

// With LW_TRACE set, every GetShardIterator and its answer is reported (where a read's time goes).
const kinesisClient = createKinesisClient({
  region: 'us-east-1',
  endpoint: env('LW_KINESIS_ENDPOINT'),
  credentials,
});
const traced: KinesisPort = {
  send: ((
    command: { constructor: { name: string }; input: { ShardId?: string } },
    options: unknown,
  ) => {
    const name = command.constructor.name;
    const answer = (kinesisClient.send as (c: unknown, o: unknown) => Promise<unknown>)(
      command,
      options,
    );
    if (process.env.LW_TRACE !== undefined && name === 'GetShardIteratorCommand') {
      emit({ type: 'call', command: name, shardId: command.input.ShardId, phase: 'sent' });
      answer.then(
        () =>
          emit({ type: 'call', command: name, shardId: command.input.ShardId, phase: 'answered' }),
        () =>
          emit({ type: 'call', command: name, shardId: command.input.ShardId, phase: 'failed' }),
      );
    }
    return answer;
  }) as KinesisPort['send'],
};

// The coordinator's own save, reporting what it wrote once it resolved.
const reportingSaves: CheckpointStore = {
  load: () => leases.load(),
  save: async (state) => {
    await leases.save(state);
    emit({ type: 'saved', positions: positions(state) });
  },
};

const subscription: Subscription = fromKinesis({
  stream,
  client: traced,
  initialPosition: 'TRIM_HORIZON',
  discoveryIntervalMs: 500,
  polling: { intervalMs: 100 },
  leases,
})
  .pipe(
    tap((record) => {
      const body = JSON.parse(new TextDecoder().decode(record.data)) as { key: string; n: number };
      emit({
        type: 'record',
        shardId: record.shardId,
        sequenceNumber: record.sequenceNumber,
        key: record.partitionKey,
        n: body.n,
      });
    }),
    checkpoints(),
    tap((state) => {
      latest = state;
    }),
    // Rebalancing (a stolen lease) is routine for persistCheckpoints(leases): never an error here.
    persistCheckpoints(reportingSaves, { intervalMs: saveIntervalMs }),
  )
  .subscribe({
    error: (error: unknown) => {
      emit({ type: 'error', message: String(error), name: (error as Error).name });
      process.exit(2);
    },
  });

emit({ type: 'started' });

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return;
  subscription.unsubscribe();
  clearInterval(heldTimer);
  void (async () => {
    if (latest !== undefined) {
      try {
        await leases.save(latest);
        emit({ type: 'saved', positions: positions(latest) });
      } catch (error) {
        emit({ type: 'saveFailed', message: String(error) });
      }
    }
    await leases.close();
    emit({ type: 'stopped' });
    process.exit(0);
  })();
});
