import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type Subscription, tap } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import { persistCheckpoints } from '../../src/checkpoint/persistCheckpoints.js';
import { dynamoDBLeases } from '../../src/lease/dynamoDBLeases.js';
import { LeaseLostError, LeaseTableError } from '../../src/lease/errors.js';
import type { LeaseCoordinator } from '../../src/lease/LeaseCoordinator.js';
import type { KinesisRecord } from '../../src/record.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { type DynamoDBEmulator, useDynalite, useDynamoDBLocal } from '../support/dynamodb.js';
import { useKinesisLocal } from '../support/emulators.js';

const kinesis = useKinesisLocal({ CREATE_STREAM_DURATION: '0ms', LOG_LEVEL: 'WARN' });

const FAILOVER = 3000;
const RENEWAL = 1000;

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now();
}

function sharedStream(name: string, dynamo: DynamoDBEmulator, stream: string): void {
  describe(`dynamoDBLeases on ${name}, two coordinators over kinesis-local`, () => {
    it('share a 4-shard stream 2 and 2; a graceful stop hands its leases over within one renewal period; the items have the KCL layout', async () => {
      const client = kinesis.client();
      await kinesis.createStream(client, stream, 4);
      await client.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: Array.from({ length: 40 }, (_, i) => ({
            PartitionKey: `key-${i}`,
            Data: new TextEncoder().encode(`v${i}`),
          })),
        }),
      );
      const dynamodb = dynamo.client();
      // w2's requests, with when they were sent
      const w2Calls: Array<{ command: string; at: number; owner?: string }> = [];
      const w2Client = {
        send: (command: { input: Record<string, unknown> }, options: unknown) => {
          const values = JSON.stringify(command.input['ExpressionAttributeValues'] ?? {});
          w2Calls.push({
            command: command.constructor.name,
            at: Date.now(),
            ...(values.includes('"w2"') ? { owner: 'w2' } : {}),
          });
          return (dynamodb.send as (c: unknown, o: unknown) => Promise<unknown>)(command, options);
        },
      } as unknown as typeof dynamodb;
      const coordinator = (workerId: string): LeaseCoordinator =>
        dynamoDBLeases({
          tableName: `${stream}-app`,
          workerId,
          failoverTimeMs: FAILOVER,
          renewalIntervalMs: RENEWAL,
          dynamodb: { client: workerId === 'w2' ? w2Client : dynamodb },
        });
      const w1 = coordinator('w1');
      const w2 = coordinator('w2');
      const records: KinesisRecord[] = [];
      const read = (leases: LeaseCoordinator): Subscription =>
        fromKinesis({
          stream: stream,
          client,
          initialPosition: 'TRIM_HORIZON',
          leases,
          polling: { intervalMs: 100 },
        }).subscribe({
          next: (r) => records.push(r),
          error: (e: unknown) => {
            throw e;
          },
        });
      const s1 = read(w1);
      onTestFinished(() => s1.unsubscribe());
      await until('w1 to hold a lease', () => w1.heldShards().length > 0);
      const s2 = read(w2);
      onTestFinished(() => s2.unsubscribe());
      await until(
        'two leases each',
        () => w1.heldShards().length === 2 && w2.heldShards().length === 2,
      );
      await until('all 40 records', () => records.length >= 40);

      const scan = await dynamodb.send(new ScanCommand({ TableName: `${stream}-app` }));
      expect(scan.Items).toHaveLength(4);
      for (const item of scan.Items ?? []) {
        expect(Object.keys(item).sort()).toEqual(
          [
            'checkpoint',
            'checkpointSubSequenceNumber',
            'endingHashKey',
            'leaseCounter',
            'leaseKey',
            'leaseOwner',
            'ownerSwitchesSinceCheckpoint',
            'rxKinesisPinnedStart',
            'rxKinesisStream',
            'startingHashKey',
          ].sort(),
        );
        expect(item['leaseKey']?.S).toMatch(/^shardId-\d{12}$/);
        expect(item['leaseOwner']?.S).toMatch(/^w[12]$/);
        expect(item['leaseCounter']?.N).toMatch(/^\d+$/);
        expect(item['checkpoint']?.S).toBe('TRIM_HORIZON');
        expect(item['checkpointSubSequenceNumber']?.N).toBe('0');
        expect(item['ownerSwitchesSinceCheckpoint']?.N).toMatch(/^\d+$/);
        expect(item['startingHashKey']?.S).toMatch(/^\d+$/);
        expect(item['endingHashKey']?.S).toMatch(/^\d+$/);
      }

      const stoppedAt = Date.now();
      s1.unsubscribe();
      await w1.close();
      const releasedAt = Date.now();
      await until('w2 to hold all four', () => w2.heldShards().length === 4, 5000);
      // By design: the released leases are free, so w2 takes them at its first scan after the
      // release, and it scans once per renewal period: that scan is sent within one renewal period
      // of the release (the release itself is a request; its latency is the emulator's), and the
      // takes follow it with no scan between. Checked on the requests, not on the emulator's speed.
      // A scan sent while close() was still resolving (after the release writes landed) may be
      // the one that finds the leases free: then it is the last scan sent since the stop.
      const firstScan =
        w2Calls.find((c) => c.command === 'ScanCommand' && c.at >= releasedAt) ??
        w2Calls.filter((c) => c.command === 'ScanCommand' && c.at >= stoppedAt).at(-1);
      expect(firstScan).toBeDefined();
      expect(firstScan!.at - releasedAt).toBeLessThanOrEqual(RENEWAL + 50);
      const sinceScan = w2Calls.filter((c) => c.at >= firstScan!.at);
      const takes = sinceScan.filter((c) => c.command === 'UpdateItemCommand' && c.owner === 'w2');
      expect(takes.length).toBeGreaterThanOrEqual(2);
      const scansBeforeLastTake = sinceScan.filter(
        (c) => c.command === 'ScanCommand' && c.at <= (takes[1]?.at ?? 0),
      );
      expect(scansBeforeLastTake).toHaveLength(1);
      console.log(
        JSON.stringify({ handoverMs: Date.now() - stoppedAt, releaseMs: releasedAt - stoppedAt }),
      );
      s2.unsubscribe();
      await w2.close();
      const after = await dynamodb.send(new ScanCommand({ TableName: `${stream}-app` }));
      expect((after.Items ?? []).every((item) => item['leaseOwner'] === undefined)).toBe(true);
    }, 60_000);

    it('a save at once after a graceful stop (the releases still in flight) writes the last positions into the released leases', async () => {
      const client = kinesis.client();
      await kinesis.createStream(client, `${stream}-2`, 2);
      await client.send(
        new PutRecordsCommand({
          StreamName: `${stream}-2`,
          Records: Array.from({ length: 10 }, (_, i) => ({
            PartitionKey: `key-${i}`,
            Data: new TextEncoder().encode(`v${i}`),
          })),
        }),
      );
      const dynamodb = dynamo.client();
      const leases = dynamoDBLeases({
        tableName: `${stream}-app-2`,
        workerId: 'solo',
        failoverTimeMs: FAILOVER,
        dynamodb: { client: dynamodb },
      });
      const records: KinesisRecord[] = [];
      const subscription = fromKinesis({
        stream: `${stream}-2`,
        client,
        initialPosition: 'TRIM_HORIZON',
        leases,
        polling: { intervalMs: 100 },
      }).subscribe((r) => records.push(r));
      onTestFinished(() => subscription.unsubscribe());
      await until('all 10 records', () => records.length >= 10);
      const shards: Record<string, { sequenceNumber: string }> = {};
      for (const r of records)
        shards[`${stream}-2/${r.shardId}`] = { sequenceNumber: r.sequenceNumber };
      subscription.unsubscribe();
      await leases.save({ version: 1, starts: {}, shards });
      await leases.close();
      const scan = await dynamodb.send(new ScanCommand({ TableName: `${stream}-app-2` }));
      for (const item of scan.Items ?? []) {
        const id = item['leaseKey']?.S as string;
        expect(item['leaseOwner']).toBeUndefined();
        expect(item['checkpoint']?.S).toBe(
          shards[`${stream}-2/${id}`]?.sequenceNumber ?? 'TRIM_HORIZON',
        );
      }
    }, 60_000);

    it('persistCheckpoints(leases) goes on through a steal: the loser reports the loss, stops that shard and keeps saving the others', async () => {
      const client = kinesis.client();
      const name = `${stream}-3`;
      await kinesis.createStream(client, name, 2);
      let producing = true;
      const producer = (async () => {
        while (producing) {
          await client.send(
            new PutRecordsCommand({
              StreamName: name,
              Records: Array.from({ length: 8 }, (_, i) => ({
                PartitionKey: `key-${i}`,
                Data: new TextEncoder().encode(`v${i}`),
              })),
            }),
          );
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      onTestFinished(async () => {
        producing = false;
        await producer;
      });
      const dynamodb = dynamo.client();
      const coordinator = (workerId: string): LeaseCoordinator =>
        dynamoDBLeases({
          tableName: `${stream}-app-3`,
          workerId,
          failoverTimeMs: FAILOVER,
          dynamodb: { client: dynamodb },
        });
      const w1 = coordinator('w1');
      const w2 = coordinator('w2');
      const losses: LeaseLostError[] = [];
      w1.losses.subscribe((error) => losses.push(error));
      let states = 0;
      let failure: unknown;
      const reading = (leases: LeaseCoordinator, count: boolean): Subscription =>
        fromKinesis({
          stream: name,
          client,
          initialPosition: 'TRIM_HORIZON',
          leases,
          polling: { intervalMs: 100 },
        })
          .pipe(
            checkpoints(),
            persistCheckpoints(leases, { intervalMs: 100 }),
            tap(() => {
              if (count) states += 1;
            }),
          )
          .subscribe({
            error: (error: unknown) => {
              failure = error;
            },
          });
      const s1 = reading(w1, true);
      onTestFinished(() => s1.unsubscribe());
      await until('w1 to hold both shards', () => w1.heldShards().length === 2);
      const s2 = reading(w2, false);
      onTestFinished(() => s2.unsubscribe());
      await until('w2 to steal one', () => w2.heldShards().length === 1);
      const stolen = w2.heldShards()[0]?.shardId as string;
      await until('w1 to notice', () => w1.heldShards().length === 1 && losses.length === 1);
      expect(losses[0]).toBeInstanceOf(LeaseLostError);
      expect(losses[0]?.shardId).toBe(stolen);
      const kept = w1.heldShards()[0]?.shardId as string;
      const checkpointOf = async (shardId: string): Promise<string | undefined> =>
        (await dynamodb.send(new ScanCommand({ TableName: `${stream}-app-3` }))).Items?.find(
          (i) => i['leaseKey']?.S === shardId,
        )?.['checkpoint']?.S;
      const keptBefore = await checkpointOf(kept);
      const statesBefore = states;
      // w1 goes on reading and saving its other shard; its reading does not fail
      await until('w1 to read on', () => states >= statesBefore + 5, 20_000);
      let keptAfter = keptBefore;
      for (
        let i = 0;
        i < 100 && (keptAfter === keptBefore || keptAfter === 'TRIM_HORIZON');
        i += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        keptAfter = await checkpointOf(kept);
      }
      expect(failure).toBeUndefined();
      expect(keptAfter).toMatch(/^\d+$/);
      expect(keptAfter).not.toBe(keptBefore);
      expect(losses).toHaveLength(1);
      s2.unsubscribe();
      s1.unsubscribe();
      await w1.close();
      await w2.close();
    }, 60_000);

    it('with createTableIfMissing off, a missing table is a clear LeaseTableError and nothing is created', async () => {
      const client = kinesis.client();
      await kinesis.createStream(client, `${stream}-4`, 1);
      const dynamodb = dynamo.client();
      const leases = dynamoDBLeases({
        tableName: `${stream}-missing`,
        workerId: 'w1',
        createTableIfMissing: false,
        dynamodb: { client: dynamodb },
      });
      const error = await new Promise<unknown>((resolve) => {
        fromKinesis({ stream: `${stream}-4`, client, leases }).subscribe({ error: resolve });
      });
      expect(error).toBeInstanceOf(LeaseTableError);
      expect(String((error as Error).message)).toBe(
        `lease table "${stream}-missing" does not exist and createTableIfMissing is false: create it (hash key "leaseKey", type S) or let the coordinator create it`,
      );
      const tables = await dynamodb.send(new ListTablesCommand({}));
      expect(tables.TableNames ?? []).not.toContain(`${stream}-missing`);
      await leases.close();
    }, 60_000);
  });
}

sharedStream('dynalite', useDynalite(), 'leased-dynalite');
sharedStream('DynamoDB Local', useDynamoDBLocal(), 'leased-local');
