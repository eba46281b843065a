import {
  DescribeStreamCommand,
  type DescribeStreamOutput,
  GetRecordsCommand,
  type GetRecordsOutput,
  GetShardIteratorCommand,
  type GetShardIteratorInput,
  type GetShardIteratorOutput,
  type Shard as StreamShard,
} from '@aws-sdk/client-dynamodb-streams';
import {
  GetRecordsCommand as KinesisGetRecordsCommand,
  type GetRecordsInput as KinesisGetRecordsInput,
  type GetRecordsOutput as KinesisGetRecordsOutput,
  GetShardIteratorCommand as KinesisGetShardIteratorCommand,
  type GetShardIteratorInput as KinesisGetShardIteratorInput,
  type GetShardIteratorOutput as KinesisGetShardIteratorOutput,
  ListShardsCommand,
  type ListShardsInput,
  type ListShardsOutput,
  type Shard,
  type _Record,
} from '@aws-sdk/client-kinesis';
import type { KinesisPort } from '../client/KinesisPort.js';
import type { DynamoDBStreamsPort } from './DynamoDBStreamsPort.js';

/** DescribeStream's most shards per page. */
export const DESCRIBE_STREAM_MAX_LIMIT = 100;
/** GetRecords' most records per call on DynamoDB Streams. */
export const DYNAMODB_STREAMS_MAX_RECORDS = 1000;

type Send = (command: object, options?: { abortSignal?: AbortSignal }) => PromiseLike<unknown>;

/**
 * DynamoDB Streams behind the Kinesis port the shard operators talk to, so
 * `discoverShards`, `pollShard` and `readShards` read it unchanged: the two
 * APIs are the same shape (shards with parents, iterators, GetRecords; a
 * closed shard's last GetRecords has no NextShardIterator), only the names
 * differ. It maps
 *
 * - ListShards to DescribeStream of the stream ARN, `AFTER_SHARD_ID` to
 *   `ExclusiveStartShardId` (discovery pages from the last shard seen) and
 *   NextToken to `LastEvaluatedShardId`, at most 100 shards a page; shards
 *   get an empty hash-key range (DynamoDB Streams has none, and no merges:
 *   no shard waits for an unrelated one);
 * - GetShardIterator to GetShardIterator; `AT_TIMESTAMP`, which DynamoDB
 *   Streams lacks, to `TRIM_HORIZON` (the records builder skips what was
 *   made before the timestamp); a stored position already trimmed away
 *   (`TrimmedDataAccessException`) to `TRIM_HORIZON`;
 * - GetRecords to GetRecords (at most 1,000 records), with the middleware
 *   put on the command (`gateSdkAttempts`: a client with SDK retries keeps
 *   the shard's call gate), its records passed through untouched for the
 *   DynamoDB records builder (`streamRecords`).
 *
 * Answers keep the port's timing: a fake answering synchronously stays
 * synchronous (virtual time). Other commands are refused. `onListed` is
 * called with the stream ARN each time a listing's last page arrives (before
 * discovery emits that listing's shards).
 *
 * ## Example
 * ```ts
 * import { discoverShards, dynamoDBStreamsAsKinesis, createDynamoDBStreamsClient } from 'rx-kinesis';
 * const port = dynamoDBStreamsAsKinesis(createDynamoDBStreamsClient({ region: 'eu-west-1' }));
 * discoverShards(port, [streamArn]).subscribe((shard) => console.log(shard.shardId));
 * ```
 *
 * @param streams a DynamoDB Streams client (or fake)
 * @param onListed called when a listing of a stream's shards is complete
 * @returns a Kinesis port over it
 */
export function dynamoDBStreamsAsKinesis(
  streams: DynamoDBStreamsPort,
  onListed?: (streamArn: string) => void,
): KinesisPort {
  const call = streams.send as unknown as Send;
  const send = <T>(command: object, options?: { abortSignal?: AbortSignal }): PromiseLike<T> =>
    call.call(streams, command, options) as PromiseLike<T>;
  const port: { send: Send } = {
    send: (command, options) => {
      if (command instanceof ListShardsCommand) {
        return listShards(send, command.input, options, onListed);
      }
      if (command instanceof KinesisGetShardIteratorCommand) {
        return getShardIterator(send, command.input, options);
      }
      if (command instanceof KinesisGetRecordsCommand) {
        return getRecords(send, command, options);
      }
      const name = (command as { constructor?: { name?: string } }).constructor?.name ?? 'command';
      return rejected(new Error(`${name} has no DynamoDB Streams counterpart`));
    },
  };
  return port as unknown as KinesisPort;
}

type Sender = <T>(command: object, options?: { abortSignal?: AbortSignal }) => PromiseLike<T>;

function listShards(
  send: Sender,
  input: ListShardsInput,
  options: { abortSignal?: AbortSignal } | undefined,
  onListed: ((streamArn: string) => void) | undefined,
): PromiseLike<ListShardsOutput> {
  let streamArn: string;
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    [streamArn, after] = JSON.parse(input.NextToken) as [string, string];
  } else {
    streamArn = input.StreamARN ?? input.StreamName ?? '';
    after = input.ShardFilter?.Type === 'AFTER_SHARD_ID' ? input.ShardFilter.ShardId : undefined;
  }
  const Limit = Math.min(input.MaxResults ?? DESCRIBE_STREAM_MAX_LIMIT, DESCRIBE_STREAM_MAX_LIMIT);
  const command = new DescribeStreamCommand({
    StreamArn: streamArn,
    Limit,
    ...(after !== undefined ? { ExclusiveStartShardId: after } : {}),
  });
  return mapped(send<DescribeStreamOutput>(command, options), (output) => {
    const description = output.StreamDescription;
    const last = description?.LastEvaluatedShardId;
    if ((last === undefined || last === null) && onListed !== undefined) onListed(streamArn);
    return {
      Shards: (description?.Shards ?? []).map(kinesisShardOf),
      ...(last !== undefined && last !== null
        ? { NextToken: JSON.stringify([streamArn, last]) }
        : {}),
    };
  });
}

// DynamoDB Streams shards have no hash-key range and are never merged: an empty range
// (start after end) overlaps nothing, so `orderShards` never holds a child for another shard.
const NO_HASH_KEYS = { StartingHashKey: '1', EndingHashKey: '0' } as const;

function kinesisShardOf(shard: StreamShard): Shard {
  const range = shard.SequenceNumberRange;
  return {
    ShardId: shard.ShardId,
    ...(shard.ParentShardId !== undefined && shard.ParentShardId !== null
      ? { ParentShardId: shard.ParentShardId }
      : {}),
    HashKeyRange: NO_HASH_KEYS,
    SequenceNumberRange: {
      StartingSequenceNumber: range?.StartingSequenceNumber,
      ...(range?.EndingSequenceNumber !== undefined && range.EndingSequenceNumber !== null
        ? { EndingSequenceNumber: range.EndingSequenceNumber }
        : {}),
    },
  } as Shard;
}

function getShardIterator(
  send: Sender,
  input: KinesisGetShardIteratorInput,
  options: { abortSignal?: AbortSignal } | undefined,
): PromiseLike<KinesisGetShardIteratorOutput> {
  const StreamArn = input.StreamARN ?? input.StreamName ?? '';
  const ShardId = input.ShardId ?? '';
  const fromHorizon = (): PromiseLike<GetShardIteratorOutput> =>
    send(
      new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      options,
    );
  let answer: PromiseLike<GetShardIteratorOutput>;
  switch (input.ShardIteratorType) {
    case 'AFTER_SEQUENCE_NUMBER':
    case 'AT_SEQUENCE_NUMBER': {
      const request: GetShardIteratorInput = {
        StreamArn,
        ShardId,
        ShardIteratorType: input.ShardIteratorType,
        SequenceNumber: input.StartingSequenceNumber,
      };
      // a stored position older than the 24 h retention: what follows it is at the trim horizon
      answer = recovered(
        send<GetShardIteratorOutput>(new GetShardIteratorCommand(request), options),
        (error) =>
          (error as { name?: unknown } | null)?.name === 'TrimmedDataAccessException'
            ? fromHorizon()
            : rejected(error),
      );
      break;
    }
    case 'LATEST':
      answer = send(
        new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'LATEST' }),
        options,
      );
      break;
    default:
      // TRIM_HORIZON, and AT_TIMESTAMP (none in DynamoDB Streams: the builder skips older records)
      answer = fromHorizon();
  }
  return mapped(answer, (output) =>
    output.ShardIterator !== undefined && output.ShardIterator !== null
      ? { ShardIterator: output.ShardIterator }
      : {},
  );
}

function getRecords(
  send: Sender,
  kinesisCommand: KinesisGetRecordsCommand,
  options: { abortSignal?: AbortSignal } | undefined,
): PromiseLike<KinesisGetRecordsOutput> {
  const input: KinesisGetRecordsInput = kinesisCommand.input;
  const command = new GetRecordsCommand({
    ShardIterator: input.ShardIterator,
    Limit: Math.min(input.Limit ?? DYNAMODB_STREAMS_MAX_RECORDS, DYNAMODB_STREAMS_MAX_RECORDS),
  });
  // the middleware put on the command (the shard's call gate for SDK-internal retries) goes along
  kinesisCommand.middlewareStack.applyToStack(command.middlewareStack as never);
  return mapped(send<GetRecordsOutput>(command, options), (output) => ({
    // passed through as they are: only the DynamoDB records builder reads them
    Records: (output.Records ?? []) as unknown as _Record[],
    ...(output.NextShardIterator !== undefined && output.NextShardIterator !== null
      ? { NextShardIterator: output.NextShardIterator }
      : {}),
  }));
}

/** `answer` with its value mapped, keeping its timing (a synchronous thenable stays one). */
function mapped<T, U>(answer: PromiseLike<T>, map: (value: T) => U): PromiseLike<U> {
  return {
    then: (onFulfilled, onRejected) =>
      answer.then(
        (value) => (onFulfilled ? onFulfilled(map(value)) : map(value)) as never,
        onRejected,
      ),
  };
}

/** `answer`, or on error the answer `recover` gives, keeping its timing. */
function recovered<T>(
  answer: PromiseLike<T>,
  recover: (error: unknown) => PromiseLike<T>,
): PromiseLike<T> {
  return {
    then: (onFulfilled, onRejected) =>
      answer.then(onFulfilled, (error: unknown) => recover(error).then(onFulfilled, onRejected)),
  };
}

/** A thenable failing with `error` at once when asked. */
function rejected<T>(error: unknown): PromiseLike<T> {
  return {
    then: (_onFulfilled, onRejected) => {
      if (onRejected) return Promise.resolve(onRejected(error)) as never;
      return Promise.reject(error as Error) as never;
    },
  };
}
