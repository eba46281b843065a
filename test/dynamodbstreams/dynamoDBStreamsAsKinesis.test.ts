import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { dynamoDBStreamsAsKinesis } from '../../src/dynamodbstreams/dynamoDBStreamsAsKinesis.js';
import { callGate } from '../../src/source/callGate.js';
import { gateSdkAttempts } from '../../src/source/gateSdkAttempts.js';
import { FakeDynamoDBStreams } from './FakeDynamoDBStreams.js';

type Send = (command: object) => PromiseLike<Record<string, unknown>>;

describe('dynamoDBStreamsAsKinesis', () => {
  it('pages ListShards over DescribeStream: AFTER_SHARD_ID and NextToken become ExclusiveStartShardId', async () => {
    const fake = new FakeDynamoDBStreams(asyncScheduler);
    const arn = fake.createStream('orders', 3);
    const send = dynamoDBStreamsAsKinesis(fake).send as unknown as Send;
    const first = await send(new ListShardsCommand({ StreamName: arn, MaxResults: 2 }));
    const ids = (first.Shards as Array<{ ShardId: string; HashKeyRange: object }>).map(
      (s) => s.ShardId,
    );
    expect(ids).toHaveLength(2);
    const second = await send(
      new ListShardsCommand({ NextToken: first.NextToken as string, MaxResults: 2 }),
    );
    expect(second.NextToken).toBeUndefined();
    const after = await send(
      new ListShardsCommand({
        StreamName: arn,
        ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: ids[0] as string },
        MaxResults: 500,
      }),
    );
    expect(fake.callsOf('DescribeStreamCommand').map((c) => c.input)).toEqual([
      { StreamArn: arn, Limit: 2 },
      { StreamArn: arn, Limit: 2, ExclusiveStartShardId: ids[1] },
      { StreamArn: arn, Limit: 100, ExclusiveStartShardId: ids[0] },
    ]);
    expect((after.Shards as unknown[]).length).toBe(2);
    // no hash-key range: an empty one, so no shard waits for an unrelated one
    expect((first.Shards as Array<{ HashKeyRange: object }>)[0]?.HashKeyRange).toEqual({
      StartingHashKey: '1',
      EndingHashKey: '0',
    });
  });

  it('resumes a position trimmed away at the trim horizon; AT_TIMESTAMP asks for TRIM_HORIZON', async () => {
    const fake = new FakeDynamoDBStreams(asyncScheduler);
    const arn = fake.createStream('orders');
    const listed = await (dynamoDBStreamsAsKinesis(fake).send as unknown as Send)(
      new ListShardsCommand({ StreamName: arn }),
    );
    const shardId = (listed.Shards as Array<{ ShardId: string }>)[0]?.ShardId as string;
    const send = dynamoDBStreamsAsKinesis(fake).send as unknown as Send;
    const iterator = await send(
      new GetShardIteratorCommand({
        StreamName: arn,
        ShardId: shardId,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: '42',
      }),
    );
    expect(iterator.ShardIterator).toEqual(expect.any(String));
    await send(
      new GetShardIteratorCommand({
        StreamName: arn,
        ShardId: shardId,
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: new Date(0),
      }),
    );
    expect(fake.callsOf('GetShardIteratorCommand').map((c) => c.input.ShardIteratorType)).toEqual([
      'AFTER_SEQUENCE_NUMBER',
      'TRIM_HORIZON',
      'TRIM_HORIZON',
    ]);
  });

  it('refuses a command DynamoDB Streams has no counterpart of', async () => {
    const fake = new FakeDynamoDBStreams(asyncScheduler);
    const send = dynamoDBStreamsAsKinesis(fake).send as unknown as Send;
    await expect(send(new DescribeStreamSummaryCommand({ StreamName: 'x' }))).rejects.toThrow(
      'DescribeStreamSummaryCommand has no DynamoDB Streams counterpart',
    );
    expect(fake.calls).toEqual([]);
  });
});

describe('dynamoDBStreamsAsKinesis and the call gate', () => {
  it('carries the call-gate middleware of a GetRecords command onto the DynamoDB Streams one', async () => {
    const seen: string[][] = [];
    const port = {
      send: (command: { middlewareStack: { identify(): string[] } }) => {
        seen.push(command.middlewareStack.identify());
        return Promise.resolve({ Records: [], NextShardIterator: 'next' });
      },
    };
    const send = dynamoDBStreamsAsKinesis(port as never).send as unknown as Send;
    const gated = gateSdkAttempts(
      new GetRecordsCommand({ ShardIterator: 'it', Limit: 5000 }),
      callGate(),
    );
    await send(gated);
    expect(seen[0]?.some((name) => name.includes('rxKinesisShardCallGate'))).toBe(true);
  });
});
