import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { Subject, lastValueFrom, takeUntil, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CheckpointLoadError } from '../../src/checkpoint/CheckpointLoadError.js';
import { CheckpointSaveError } from '../../src/checkpoint/CheckpointSaveError.js';
import { StaleCheckpointError } from '../../src/checkpoint/StaleCheckpointError.js';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import { dynamoDBCheckpointStore } from '../../src/checkpoint/dynamoDBCheckpointStore.js';
import { memoryCheckpointStore } from '../../src/checkpoint/memoryCheckpointStore.js';
import { persistCheckpoints } from '../../src/checkpoint/persistCheckpoints.js';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { fileCheckpointStore } from '../../src/node/fileCheckpointStore.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { readKinesis } from '../../src/source/readKinesis.js';
import type { SourceConfig } from '../../src/source/SourceConfig.js';
import { dynamoDBLeases } from '../../src/lease/dynamoDBLeases.js';
import { FakeDynamoDB } from '../../src/testing/FakeDynamoDB.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';
import { useDynalite } from '../support/dynamodb.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { indexOf, writeRecords } from '../source/support/writeRecords.js';

const kinesis = useKinesisLocal();
const dynamodb = useDynalite();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rx-kinesis-source-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Kinesis client that counts what it is asked. */
function counting(client: KinesisClient): KinesisPort & { calls: number } {
  const port = {
    calls: 0,
    send: ((command: never, options: never) => {
      port.calls += 1;
      return client.send(command, options);
    }) as KinesisPort['send'],
  };
  return port;
}

/**
 * One run of a pipeline resuming from `store`: reads until `expected` records
 * came, then 1.5 s more (re-reads would show up), then completes, which saves
 * the last state. Returns the write indexes read.
 */
async function run(config: SourceConfig, store: CheckpointStore, expected: number) {
  const read: number[] = [];
  const stop = new Subject<void>();
  await lastValueFrom(
    fromKinesis({ ...config, checkpointStore: store }).pipe(
      tap((record) => {
        read.push(indexOf(record));
        if (read.length === expected) setTimeout(() => stop.next(), 1500);
      }),
      takeUntil(stop),
      checkpoints(),
      persistCheckpoints(store, { intervalMs: 100 }),
    ),
    { defaultValue: undefined },
  );
  return read.sort((a, b) => a - b);
}

const stores: ReadonlyArray<[string, (name: string) => CheckpointStore & { close?: () => void }]> =
  [
    ['fileCheckpointStore', (name) => fileCheckpointStore(join(dir, `${name}.json`))],
    [
      'dynamoDBCheckpointStore on dynalite',
      (name) =>
        dynamoDBCheckpointStore({
          tableName: 'checkpoints',
          key: name,
          dynamodb: { client: dynamodb.client() },
        }),
    ],
  ];

describe.each(stores)('fromKinesis({ checkpointStore }) with %s on kinesis-local', (name, open) => {
  it('resumes after a stop: no loss, no re-read, quiet shards keep their place', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    const stream = `store-${name.split(' ')[0] as string}`;
    await kinesis.createStream(client, stream, 3);
    const shards = await client.send(new ListShardsCommand({ StreamName: stream }));
    const firstShardKey = shards.Shards?.[0]?.HashKeyRange?.StartingHashKey as string;
    const config: SourceConfig = {
      stream,
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials,
      initialPosition: 'TRIM_HORIZON',
      polling: { intervalMs: 100 },
    };
    const first = await writeRecords(client, stream, 60, 30);
    // run 1: every shard read
    expect(await run(config, open(stream), 60)).toEqual(first.map((w) => w.index));
    // run 2, a new store object on the same place (a restarted process): only one shard gets records
    const second = await writeRecords(client, stream, 20, 5, { explicitHashKey: firstShardKey });
    expect(await run(config, open(stream), 20)).toEqual(second.map((w) => w.index));
    // run 3: the shards quiet in run 2 resume where run 1 left them, not at TRIM_HORIZON
    const third = await writeRecords(client, stream, 30, 30);
    expect(await run(config, open(stream), 30)).toEqual(third.map((w) => w.index));
    const saved = (await open(stream).load()) as CheckpointState;
    expect(Object.keys(saved.shards).sort()).toEqual(
      (shards.Shards ?? []).map((s) => `${stream}/${s.ShardId as string}`).sort(),
    );
  });
});

describe('fromKinesis({ checkpointStore }): errors', () => {
  const configOf = (client: KinesisPort, checkpointStore: CheckpointStore): SourceConfig => ({
    stream: 'errors',
    client,
    initialPosition: 'TRIM_HORIZON',
    checkpointStore,
  });

  it('a stored state that does not decode is an error on the Observable: no record, no request', async () => {
    const credentials = freshCredentials();
    const real = kinesis.client(credentials);
    await kinesis.createStream(real, 'errors', 1);
    await writeRecords(real, 'errors', 5);
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ version: 1, starts: {}, shards: { 'errors/x': 5 } }));
    for (const source of [fromKinesis, readKinesis]) {
      const client = counting(real);
      const emitted: unknown[] = [];
      const error = await lastValueFrom(
        source(configOf(client, fileCheckpointStore(path))).pipe(tap((r) => emitted.push(r))),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointLoadError);
      expect((error as CheckpointLoadError).store).toBe(`file ${path}`);
      expect((error as Error).message).toContain('state.shards.errors/x');
      expect(emitted).toEqual([]);
      expect(client.calls).toBe(0);
    }
  });

  it('a load that fails is a CheckpointLoadError naming the store; the store is not loaded before subscribe', async () => {
    const fake = new FakeKinesis();
    fake.createStream('errors', 1);
    let loads = 0;
    const store: CheckpointStore = {
      description: 'flaky store',
      load: () => {
        loads += 1;
        return Promise.reject(new Error('unreachable'));
      },
      save: () => Promise.resolve(),
    };
    const records = fromKinesis(configOf(fake, store));
    expect(loads).toBe(0);
    const error = (await lastValueFrom(records).catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.message).toBe(
      'flaky store: loading the checkpoint state failed: Error: unreachable',
    );
    expect(loads).toBe(1);
    expect(fake.calls).toEqual([]);
  });

  it('nothing stored: starts as configured', async () => {
    const fake = new FakeKinesis();
    fake.createStream('errors', 1);
    fake.put('errors', 'k', 'one');
    const store = memoryCheckpointStore();
    const records = await lastValueFrom(
      fromKinesis(configOf(fake, store)).pipe(
        checkpoints(),
        persistCheckpoints(store),
        takeUntil(new Promise((resolve) => setTimeout(resolve, 600))),
      ),
      { defaultValue: undefined },
    );
    expect(records?.shards['errors/shardId-000000000000']?.sequenceNumber).toBeDefined();
    expect((await store.load())?.starts['errors']).toBe('TRIM_HORIZON');
  });

  it('unsubscribing during the load aborts it and reads nothing', async () => {
    const fake = new FakeKinesis();
    fake.createStream('errors', 1);
    let signal: AbortSignal | undefined;
    let answer: (state: CheckpointState | undefined) => void = () => undefined;
    const store: CheckpointStore = {
      load: (options) => {
        signal = options?.abortSignal;
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
      save: () => Promise.resolve(),
    };
    const subscription = fromKinesis(configOf(fake, store)).subscribe();
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    answer(undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls).toEqual([]);
  });

  it('a stale DynamoDB writer: its pipeline fails with a CheckpointSaveError caused by StaleCheckpointError', async () => {
    const fake = new FakeKinesis();
    fake.createStream('errors', 1);
    const table = new FakeDynamoDB();
    const storeOf = () =>
      dynamoDBCheckpointStore({
        tableName: 'checkpoints',
        key: 'app',
        dynamodb: { client: table },
      });
    const old = storeOf();
    const errors: unknown[] = [];
    const oldRun = fromKinesis(configOf(fake, old))
      .pipe(checkpoints(), persistCheckpoints(old, { intervalMs: 0 }))
      .subscribe({ error: (e: unknown) => errors.push(e) });
    fake.put('errors', 'k', 'one');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors).toEqual([]);
    // a second process takes over the same key and saves
    const taker = storeOf();
    const taken = await taker.load();
    await taker.save(taken as CheckpointState);
    fake.put('errors', 'k', 'two');
    await new Promise((resolve) => setTimeout(resolve, 400));
    oldRun.unsubscribe();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CheckpointSaveError);
    const cause = (errors[0] as CheckpointSaveError).cause;
    expect(cause).toBeInstanceOf(StaleCheckpointError);
    expect(cause).toMatchObject({
      name: 'StaleCheckpointError',
      tableName: 'checkpoints',
      key: 'app',
    });
    // the newer state stayed
    expect(await storeOf().load()).toEqual(taken);
  });

  it('checkpoint and checkpointStore together, or checkpointStore with leases, is a ConfigError', () => {
    const fake = new FakeKinesis();
    const store = memoryCheckpointStore();
    expect(() =>
      fromKinesis({
        stream: 'errors',
        client: fake,
        checkpointStore: store,
        checkpoint: { version: 1, starts: {}, shards: {} },
      }),
    ).toThrow(/source\.checkpointStore: expected either checkpoint or checkpointStore, not both/);
    const leases = dynamoDBLeases({
      tableName: 'leases',
      workerId: 'w1',
      dynamodb: { client: new FakeDynamoDB() },
    });
    expect(() =>
      fromKinesis({ stream: 'errors', client: fake, checkpointStore: store, leases }),
    ).toThrow(/source\.checkpointStore: expected either leases or checkpointStore, not both/);
    expect(() =>
      fromKinesis({
        stream: 'errors',
        client: fake,
        checkpointStore: { load: 'x' } as unknown as CheckpointStore,
      }),
    ).toThrow(ConfigError);
    expect(() =>
      readKinesis({
        stream: 'errors',
        client: fake,
        checkpointStore: { load: () => Promise.resolve(undefined) } as unknown as CheckpointStore,
      }),
    ).toThrow(/source\.checkpointStore: expected a checkpoint store/);
  });
});
