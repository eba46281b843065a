import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Subscription } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dynamoDBLeases } from '../../src/lease/dynamoDBLeases.js';
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
      const coordinator = (workerId: string): LeaseCoordinator =>
        dynamoDBLeases({
          tableName: `${stream}-app`,
          workerId,
          failoverTimeMs: FAILOVER,
          renewalIntervalMs: RENEWAL,
          dynamodb: { client: dynamodb },
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
      const allAt = await until('w2 to hold all four', () => w2.heldShards().length === 4, 5000);
      // one renewal period, plus request latency on a busy machine
      expect(allAt - stoppedAt).toBeLessThan(RENEWAL + 500);
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
  });
}

sharedStream('dynalite', useDynalite(), 'leased-dynalite');
sharedStream('DynamoDB Local', useDynamoDBLocal(), 'leased-local');
