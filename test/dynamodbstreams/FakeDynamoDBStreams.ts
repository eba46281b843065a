import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SchedulerLike } from 'rxjs';
import type { DynamoDBStreamsPort } from '../../src/dynamodbstreams/DynamoDBStreamsPort.js';
import { SyncAnswer } from '../../src/testing/syncAnswer.js';

/** One call the fake answered. */
export interface FakeStreamsCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

interface FakeStreamShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly records: StreamsRecord[];
  closed: boolean;
}

const streamsError = (name: string, message = name): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

/**
 * A small in-memory DynamoDB Streams for unit and marble tests: streams of
 * shards (with parents) holding change records, DescribeStream paged by
 * `Limit` and `ExclusiveStartShardId` in shard-id order, iterators of every
 * type DynamoDB Streams has (no AT_TIMESTAMP), GetRecords refusing `Limit`
 * over 1,000, and no NextShardIterator at the end of a closed shard. Answers
 * synchronously (virtual time); creation times are the scheduler's clock,
 * rounded down to the second as DynamoDB Streams does.
 */
export class FakeDynamoDBStreams implements DynamoDBStreamsPort {
  readonly calls: FakeStreamsCall[] = [];
  private readonly streams = new Map<string, FakeStreamShard[]>();
  private readonly failures: Array<(call: FakeStreamsCall) => unknown> = [];
  private sequence = 100_000_000_000_000_000_000n;
  private shardCounter = 1_700_000_000_000n;

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Creates a stream with `shards` open shards; returns its ARN. */
  createStream(table: string, shards = 1): string {
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/2026-01-01T00:00:00.000`;
    this.streams.set(arn, []);
    for (let i = 0; i < shards; i++) this.addShard(arn);
    return arn;
  }

  /** Adds an open shard (a child of `parentShardId` if given); returns its id. */
  addShard(arn: string, parentShardId?: string): string {
    this.shardCounter += 1000n;
    const shardId = `shardId-${this.shardCounter.toString().padStart(20, '0')}-${(Number(this.shardCounter % 65_536n) + 0xa000).toString(16)}c0ffee`;
    this.shardsOf(arn).push({
      shardId,
      ...(parentShardId !== undefined ? { parentShardId } : {}),
      records: [],
      closed: false,
    });
    return shardId;
  }

  /** Closes a shard and opens its child; returns the child's id. */
  roll(arn: string, shardId: string): string {
    this.shard(arn, shardId).closed = true;
    return this.addShard(arn, shardId);
  }

  /** Writes one change into a shard. */
  change(
    arn: string,
    shardId: string,
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    keys: Record<string, unknown>,
    images: { newImage?: Record<string, unknown>; oldImage?: Record<string, unknown> } = {},
  ): string {
    const shard = this.shard(arn, shardId);
    if (shard.closed) throw new Error(`shard ${shardId} is closed`);
    this.sequence += 1n;
    const SequenceNumber = this.sequence.toString();
    shard.records.push({
      eventID: SequenceNumber,
      eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: {
        ApproximateCreationDateTime: new Date(Math.floor(this.scheduler.now() / 1000) * 1000),
        Keys: marshall(keys) as never,
        ...(images.newImage !== undefined ? { NewImage: marshall(images.newImage) as never } : {}),
        ...(images.oldImage !== undefined ? { OldImage: marshall(images.oldImage) as never } : {}),
        SequenceNumber,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    return SequenceNumber;
  }

  /** Fails the calls `fail` returns an error for. */
  failWhen(fail: (call: FakeStreamsCall) => unknown): void {
    this.failures.push(fail);
  }

  callsOf(command: string): FakeStreamsCall[] {
    return this.calls.filter((call) => call.command === command);
  }

  readonly send = ((command: { input: Record<string, unknown> }) => {
    const call: FakeStreamsCall = {
      command: command.constructor.name,
      input: command.input,
      at: this.scheduler.now(),
    };
    this.calls.push(call);
    for (const fail of this.failures) {
      const error = fail(call);
      if (error !== undefined) return SyncAnswer.reject(error);
    }
    try {
      return SyncAnswer.resolve(this.answer(call));
    } catch (error) {
      return SyncAnswer.reject(error);
    }
  }) as unknown as DynamoDBStreamsPort['send'];

  private answer(call: FakeStreamsCall): unknown {
    const input = call.input;
    switch (call.command) {
      case 'DescribeStreamCommand': {
        const arn = input.StreamArn as string;
        const limit = (input.Limit as number | undefined) ?? 100;
        if (limit > 100) throw streamsError('ValidationException', 'Limit over 100');
        const after = input.ExclusiveStartShardId as string | undefined;
        const all = this.shardsOf(arn);
        const from = after === undefined ? 0 : all.findIndex((s) => s.shardId === after) + 1;
        const page = all.slice(from, from + limit);
        const more = from + limit < all.length;
        return {
          StreamDescription: {
            StreamArn: arn,
            StreamStatus: 'ENABLED',
            Shards: page.map((shard) => ({
              ShardId: shard.shardId,
              ...(shard.parentShardId !== undefined ? { ParentShardId: shard.parentShardId } : {}),
              SequenceNumberRange: {
                StartingSequenceNumber: shard.records[0]?.dynamodb?.SequenceNumber ?? '1',
                ...(shard.closed
                  ? { EndingSequenceNumber: shard.records.at(-1)?.dynamodb?.SequenceNumber ?? '1' }
                  : {}),
              },
            })),
            ...(more ? { LastEvaluatedShardId: page.at(-1)?.shardId } : {}),
          },
        };
      }
      case 'GetShardIteratorCommand': {
        const arn = input.StreamArn as string;
        const shard = this.shard(arn, input.ShardId as string);
        const sequence = input.SequenceNumber as string | undefined;
        const at = (): number => {
          const index = shard.records.findIndex((r) => r.dynamodb?.SequenceNumber === sequence);
          if (index < 0) throw streamsError('TrimmedDataAccessException');
          return index;
        };
        let position: number;
        switch (input.ShardIteratorType) {
          case 'TRIM_HORIZON':
            position = 0;
            break;
          case 'LATEST':
            position = shard.records.length;
            break;
          case 'AT_SEQUENCE_NUMBER':
            position = at();
            break;
          case 'AFTER_SEQUENCE_NUMBER':
            position = at() + 1;
            break;
          default:
            throw streamsError(
              'ValidationException',
              `iterator type ${String(input.ShardIteratorType)}`,
            );
        }
        return { ShardIterator: JSON.stringify([arn, shard.shardId, position]) };
      }
      case 'GetRecordsCommand': {
        const limit = (input.Limit as number | undefined) ?? 1000;
        if (limit > 1000) throw streamsError('ValidationException', 'Limit over 1000');
        const [arn, shardId, position] = JSON.parse(input.ShardIterator as string) as [
          string,
          string,
          number,
        ];
        const shard = this.shard(arn, shardId);
        const records = shard.records.slice(position, position + limit);
        const next = position + records.length;
        const atEnd = shard.closed && next >= shard.records.length;
        return {
          Records: records,
          ...(atEnd ? {} : { NextShardIterator: JSON.stringify([arn, shardId, next]) }),
        };
      }
      default:
        throw streamsError('UnknownOperationException', call.command);
    }
  }

  private shardsOf(arn: string): FakeStreamShard[] {
    const shards = this.streams.get(arn);
    if (shards === undefined) throw streamsError('ResourceNotFoundException', `no stream ${arn}`);
    return shards;
  }

  private shard(arn: string, shardId: string): FakeStreamShard {
    const shard = this.shardsOf(arn).find((s) => s.shardId === shardId);
    if (shard === undefined) throw streamsError('ResourceNotFoundException', `no shard ${shardId}`);
    return shard;
  }
}
