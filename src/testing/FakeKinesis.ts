import {
  ExpiredIteratorException,
  InvalidArgumentException,
  ResourceInUseException,
  ResourceNotFoundException,
  type ChildShard,
  type GetRecordsOutput,
  type ListShardsOutput,
  type PutRecordsOutput,
  type PutRecordsResultEntry,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { md5 } from '@noble/hashes/legacy.js';
import { type SchedulerLike, asyncScheduler } from 'rxjs';
import type { KinesisPort } from '../client/KinesisPort.js';
import { SyncAnswer } from './syncAnswer.js';

const MAX_HASH = (1n << 128n) - 1n;
const ITERATOR_TTL_MS = 300_000;

/** One stored record of the fake. */
export interface FakeRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  readonly arrival: Date;
}

/** One shard of the fake. */
export interface FakeShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  readonly startingSequenceNumber: string;
  endingSequenceNumber?: string;
  readonly records: FakeRecord[];
}

interface FakeStream {
  readonly name: string;
  readonly arn: string;
  readonly shards: FakeShard[];
  nextShardIndex: number;
}

/** A call the fake received: the command's class name, its input and the scheduler time. */
export interface FakeCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

/** What a fault hook may answer: an error to throw, a response to return, or undefined to go on. */
export type FaultHook = (call: FakeCall) => { error: unknown } | { response: unknown } | undefined;

export interface FakeKinesisOptions {
  /** Clock for arrival times and iterator expiry. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  readonly region?: string;
  readonly accountId?: string;
}

const isoSeq = (n: bigint): string => n.toString().padStart(24, '0');

/** An SDK-shaped service error, as the SDK would raise it. */
export function kinesisError(name: string, message = name, httpStatusCode = 400): Error {
  const meta = { $metadata: { httpStatusCode }, message };
  switch (name) {
    case 'ResourceNotFoundException':
      return new ResourceNotFoundException(meta);
    case 'InvalidArgumentException':
      return new InvalidArgumentException(meta);
    case 'ExpiredIteratorException':
      return new ExpiredIteratorException(meta);
    case 'ResourceInUseException':
      return new ResourceInUseException(meta);
    default:
      return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
  }
}

/**
 * An in-memory Kinesis for unit and marble tests: streams, shards with hash
 * ranges, PutRecord(s) routed by MD5 of the partition key, all five iterator
 * types, GetRecords with MillisBehindLatest and ChildShards, ListShards with
 * paging, split and merge, and fault injection. It answers synchronously, so
 * operators driven by it run in virtual time under `TestScheduler.run`.
 *
 * ## Example
 * ```ts
 * import { FakeKinesis } from 'rx-kinesis/testing';
 * const kinesis = new FakeKinesis();
 * kinesis.createStream('orders', 2);
 * kinesis.put('orders', 'key-1', 'hello');
 * fromKinesis({ stream: 'orders', client: kinesis, initialPosition: 'TRIM_HORIZON' });
 * ```
 */
export class FakeKinesis implements KinesisPort {
  readonly calls: FakeCall[] = [];
  private readonly streams = new Map<string, FakeStream>();
  private readonly faults: FaultHook[] = [];
  private readonly scheduler: SchedulerLike;
  private readonly region: string;
  private readonly accountId: string;
  private sequence = 1000n;

  constructor(options: FakeKinesisOptions = {}) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  /** `KinesisClient.send`'s shape, answering with a synchronous thenable. */
  readonly send = ((command: { input: Record<string, unknown> }) => {
    const call: FakeCall = {
      command: command.constructor.name,
      input: command.input,
      at: this.scheduler.now(),
    };
    this.calls.push(call);
    for (const fault of this.faults) {
      const outcome = fault(call);
      if (outcome === undefined) continue;
      return 'error' in outcome
        ? SyncAnswer.reject(outcome.error)
        : SyncAnswer.resolve(outcome.response);
    }
    try {
      return SyncAnswer.resolve(this.handle(call));
    } catch (error) {
      return SyncAnswer.reject(error);
    }
  }) as unknown as KinesisPort['send'];

  /** Adds a fault hook; returns a function that removes it. */
  inject(fault: FaultHook): () => void {
    this.faults.push(fault);
    return () => {
      const index = this.faults.indexOf(fault);
      if (index >= 0) this.faults.splice(index, 1);
    };
  }

  /** Fails the next `times` calls of `command` (class name, e.g. `GetRecordsCommand`) with `error`. */
  failNext(command: string, error: unknown, times = 1): void {
    let left = times;
    const remove = this.inject((call) => {
      if (call.command !== command || left <= 0) return undefined;
      left -= 1;
      if (left === 0) remove();
      return { error: typeof error === 'string' ? kinesisError(error, error, 400) : error };
    });
  }

  /**
   * Partial PutRecords failures: for every PutRecords entry, `fail` returns
   * an error code (e.g. `ProvisionedThroughputExceededException`) to refuse
   * that entry, or undefined to store it. Refused entries are not stored and
   * get `ErrorCode`/`ErrorMessage` in the response, like Kinesis does.
   * Returns a function that removes the fault.
   */
  failPutRecordsEntries(
    fail: (
      entry: { PartitionKey: string; Data: Uint8Array },
      index: number,
      call: FakeCall,
    ) => string | undefined,
  ): () => void {
    return this.inject((call) => {
      if (call.command !== 'PutRecordsCommand') return undefined;
      let stream: FakeStream;
      try {
        stream = this.streamOf(call.input);
      } catch (error) {
        return { error };
      }
      const entries = call.input['Records'] as Array<{
        Data: Uint8Array;
        PartitionKey: string;
        ExplicitHashKey?: string;
      }>;
      let failed = 0;
      const records: PutRecordsResultEntry[] = entries.map((entry, index) => {
        const code = fail(entry, index, call);
        if (code !== undefined) {
          failed += 1;
          return { ErrorCode: code, ErrorMessage: `${code} (injected)` };
        }
        const r = this.put(stream.name, entry.PartitionKey, entry.Data, entry.ExplicitHashKey);
        return { ShardId: r.shardId, SequenceNumber: r.sequenceNumber };
      });
      return { response: { FailedRecordCount: failed, Records: records } };
    });
  }

  /** Calls of one command, e.g. `calls('GetRecordsCommand')`. */
  callsOf(command: string): FakeCall[] {
    return this.calls.filter((call) => call.command === command);
  }

  createStream(name: string, shardCount: number): void {
    if (this.streams.has(name))
      throw kinesisError('ResourceInUseException', `Stream ${name} exists`);
    const stream: FakeStream = {
      name,
      arn: `arn:aws:kinesis:${this.region}:${this.accountId}:stream/${name}`,
      shards: [],
      nextShardIndex: 0,
    };
    const width = (MAX_HASH + 1n) / BigInt(shardCount);
    for (let i = 0; i < shardCount; i++) {
      const start = width * BigInt(i);
      const end = i === shardCount - 1 ? MAX_HASH : width * BigInt(i + 1) - 1n;
      this.addShard(stream, start, end);
    }
    this.streams.set(name, stream);
  }

  /** Writes one record; returns its shard and sequence number. */
  put(
    streamName: string,
    partitionKey: string,
    data: Uint8Array | string,
    explicitHashKey?: string,
  ): { shardId: string; sequenceNumber: string } {
    const stream = this.stream(streamName);
    const hash = explicitHashKey !== undefined ? BigInt(explicitHashKey) : hashOf(partitionKey);
    const shard = stream.shards.find(
      (s) =>
        s.endingSequenceNumber === undefined &&
        s.startingHashKey <= hash &&
        hash <= s.endingHashKey,
    );
    if (shard === undefined) throw kinesisError('InternalFailure', 'no open shard for hash', 500);
    const record: FakeRecord = {
      sequenceNumber: isoSeq(this.nextSequence()),
      partitionKey,
      ...(explicitHashKey !== undefined ? { explicitHashKey } : {}),
      data: typeof data === 'string' ? new TextEncoder().encode(data) : data,
      arrival: new Date(this.scheduler.now()),
    };
    shard.records.push(record);
    return { shardId: shard.shardId, sequenceNumber: record.sequenceNumber };
  }

  /** Splits a shard at `newStartingHashKey` (default: the middle). Returns the children's ids. */
  splitShard(streamName: string, shardId: string, newStartingHashKey?: bigint): [string, string] {
    const stream = this.stream(streamName);
    const parent = this.openShard(stream, shardId);
    const middle = newStartingHashKey ?? (parent.startingHashKey + parent.endingHashKey + 1n) / 2n;
    parent.endingSequenceNumber = isoSeq(this.nextSequence());
    const a = this.addShard(stream, parent.startingHashKey, middle - 1n, parent.shardId);
    const b = this.addShard(stream, middle, parent.endingHashKey, parent.shardId);
    return [a.shardId, b.shardId];
  }

  /** Merges two adjacent shards. Returns the child's id. */
  mergeShards(streamName: string, shardId: string, adjacentShardId: string): string {
    const stream = this.stream(streamName);
    const first = this.openShard(stream, shardId);
    const second = this.openShard(stream, adjacentShardId);
    const [low, high] =
      first.startingHashKey < second.startingHashKey ? [first, second] : [second, first];
    if (low.endingHashKey + 1n !== high.startingHashKey) {
      throw kinesisError('InvalidArgumentException', 'shards are not adjacent');
    }
    const end = isoSeq(this.nextSequence());
    first.endingSequenceNumber = end;
    second.endingSequenceNumber = end;
    return this.addShard(
      stream,
      low.startingHashKey,
      high.endingHashKey,
      first.shardId,
      second.shardId,
    ).shardId;
  }

  /** The shards of a stream, open and closed. */
  shardsOf(streamName: string): readonly FakeShard[] {
    return this.stream(streamName).shards;
  }

  private nextSequence(): bigint {
    this.sequence += 1n;
    return this.sequence;
  }

  private addShard(
    stream: FakeStream,
    start: bigint,
    end: bigint,
    parentShardId?: string,
    adjacentParentShardId?: string,
  ): FakeShard {
    const shard: FakeShard = {
      shardId: `shardId-${String(stream.nextShardIndex++).padStart(12, '0')}`,
      ...(parentShardId !== undefined ? { parentShardId } : {}),
      ...(adjacentParentShardId !== undefined ? { adjacentParentShardId } : {}),
      startingHashKey: start,
      endingHashKey: end,
      startingSequenceNumber: isoSeq(this.nextSequence()),
      records: [],
    };
    stream.shards.push(shard);
    return shard;
  }

  private stream(nameOrArn: string | undefined): FakeStream {
    const stream =
      this.streams.get(nameOrArn ?? '') ??
      [...this.streams.values()].find((s) => s.arn === nameOrArn);
    if (stream === undefined) {
      throw kinesisError(
        'ResourceNotFoundException',
        `Stream ${nameOrArn ?? ''} under account ${this.accountId} not found.`,
      );
    }
    return stream;
  }

  private streamOf(input: Record<string, unknown>): FakeStream {
    return this.stream((input['StreamName'] ?? input['StreamARN']) as string | undefined);
  }

  private openShard(stream: FakeStream, shardId: string): FakeShard {
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (shard === undefined)
      throw kinesisError('ResourceNotFoundException', `Shard ${shardId} not found`);
    if (shard.endingSequenceNumber !== undefined) {
      throw kinesisError('ResourceInUseException', `Shard ${shardId} is closed`);
    }
    return shard;
  }

  private handle(call: FakeCall): unknown {
    const input = call.input;
    switch (call.command) {
      case 'CreateStreamCommand':
        this.createStream(
          input['StreamName'] as string,
          (input['ShardCount'] as number | undefined) ?? 1,
        );
        return {};
      case 'DescribeStreamSummaryCommand': {
        const stream = this.streamOf(input);
        return {
          StreamDescriptionSummary: {
            StreamName: stream.name,
            StreamARN: stream.arn,
            StreamStatus: 'ACTIVE',
            OpenShardCount: stream.shards.filter((s) => s.endingSequenceNumber === undefined)
              .length,
          },
        };
      }
      case 'ListShardsCommand':
        return this.listShards(input);
      case 'GetShardIteratorCommand':
        return this.getShardIterator(input);
      case 'GetRecordsCommand':
        return this.getRecords(input);
      case 'PutRecordCommand': {
        const result = this.put(
          (input['StreamName'] ?? input['StreamARN']) as string,
          input['PartitionKey'] as string,
          input['Data'] as Uint8Array,
          input['ExplicitHashKey'] as string | undefined,
        );
        return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber };
      }
      case 'PutRecordsCommand':
        return this.putRecords(input);
      case 'SplitShardCommand': {
        const stream = this.streamOf(input);
        this.splitShard(
          stream.name,
          input['ShardToSplit'] as string,
          BigInt(input['NewStartingHashKey'] as string),
        );
        return {};
      }
      case 'MergeShardsCommand': {
        const stream = this.streamOf(input);
        this.mergeShards(
          stream.name,
          input['ShardToMerge'] as string,
          input['AdjacentShardToMerge'] as string,
        );
        return {};
      }
      default:
        throw kinesisError(
          'UnknownOperationException',
          `FakeKinesis does not support ${call.command}`,
        );
    }
  }

  private listShards(input: Record<string, unknown>): ListShardsOutput {
    const token = input['NextToken'] as string | undefined;
    let streamName: string | undefined;
    let after: string | undefined;
    if (token !== undefined) {
      if (input['StreamName'] !== undefined || input['StreamARN'] !== undefined) {
        throw kinesisError(
          'InvalidArgumentException',
          'NextToken and StreamName cannot be provided together.',
        );
      }
      [streamName, after] = JSON.parse(atob(token)) as [string, string];
    }
    const stream = streamName !== undefined ? this.stream(streamName) : this.streamOf(input);
    const exclusiveStart = after ?? (input['ExclusiveStartShardId'] as string | undefined);
    const max = (input['MaxResults'] as number | undefined) ?? 1000;
    const filter = input['ShardFilter'] as { Type?: string } | undefined;
    let shards = stream.shards;
    if (filter?.Type === 'AT_LATEST')
      shards = shards.filter((s) => s.endingSequenceNumber === undefined);
    const startIndex =
      exclusiveStart === undefined ? 0 : shards.findIndex((s) => s.shardId > exclusiveStart);
    const page = startIndex < 0 ? [] : shards.slice(startIndex, startIndex + max);
    const more = startIndex >= 0 && startIndex + max < shards.length;
    const last = page[page.length - 1];
    return {
      Shards: page.map(toShard),
      ...(more && last !== undefined
        ? { NextToken: btoa(JSON.stringify([stream.name, last.shardId])) }
        : {}),
    };
  }

  private getShardIterator(input: Record<string, unknown>): { ShardIterator: string } {
    const stream = this.streamOf(input);
    const shard = stream.shards.find((s) => s.shardId === input['ShardId']);
    if (shard === undefined) {
      throw kinesisError(
        'ResourceNotFoundException',
        `Shard ${String(input['ShardId'])} in stream ${stream.name} not found`,
      );
    }
    const type = input['ShardIteratorType'] as string;
    const seq = input['StartingSequenceNumber'] as string | undefined;
    let index: number;
    switch (type) {
      case 'TRIM_HORIZON':
        index = 0;
        break;
      case 'LATEST':
        index = shard.records.length;
        break;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        if (seq === undefined)
          throw kinesisError('InvalidArgumentException', 'StartingSequenceNumber missing');
        const target = BigInt(seq);
        const found = shard.records.findIndex((r) =>
          type === 'AT_SEQUENCE_NUMBER'
            ? BigInt(r.sequenceNumber) >= target
            : BigInt(r.sequenceNumber) > target,
        );
        index = found < 0 ? shard.records.length : found;
        break;
      }
      case 'AT_TIMESTAMP': {
        const ts = input['Timestamp'] as Date;
        const found = shard.records.findIndex((r) => r.arrival.getTime() >= ts.getTime());
        index = found < 0 ? shard.records.length : found;
        break;
      }
      default:
        throw kinesisError('InvalidArgumentException', `bad ShardIteratorType ${type}`);
    }
    return { ShardIterator: this.iterator(stream.name, shard.shardId, index) };
  }

  private iterator(stream: string, shardId: string, index: number): string {
    return btoa(JSON.stringify({ stream, shardId, index, issued: this.scheduler.now() }));
  }

  private getRecords(input: Record<string, unknown>): GetRecordsOutput {
    let parsed: { stream: string; shardId: string; index: number; issued: number };
    try {
      parsed = JSON.parse(atob(input['ShardIterator'] as string)) as typeof parsed;
    } catch {
      throw kinesisError('InvalidArgumentException', 'Invalid ShardIterator');
    }
    if (this.scheduler.now() - parsed.issued > ITERATOR_TTL_MS) {
      throw kinesisError('ExpiredIteratorException', 'Iterator expired');
    }
    const stream = this.stream(parsed.stream);
    const shard = stream.shards.find((s) => s.shardId === parsed.shardId);
    if (shard === undefined)
      throw kinesisError('ResourceNotFoundException', `Shard ${parsed.shardId} not found`);
    const limit = Math.min((input['Limit'] as number | undefined) ?? 10_000, 10_000);
    const batch = shard.records.slice(parsed.index, parsed.index + limit);
    const next = parsed.index + batch.length;
    const atEnd = next >= shard.records.length;
    const closed = shard.endingSequenceNumber !== undefined;
    const newest = shard.records[shard.records.length - 1];
    const millisBehind =
      atEnd || newest === undefined
        ? 0
        : Math.max(0, this.scheduler.now() - (batch[batch.length - 1]?.arrival.getTime() ?? 0));
    const output: GetRecordsOutput = {
      Records: batch.map((r) => ({
        SequenceNumber: r.sequenceNumber,
        PartitionKey: r.partitionKey,
        Data: r.data,
        ApproximateArrivalTimestamp: r.arrival,
        ...(r.explicitHashKey !== undefined ? { ExplicitHashKey: r.explicitHashKey } : {}),
      })),
      MillisBehindLatest: millisBehind,
    };
    if (closed && atEnd) {
      output.ChildShards = stream.shards
        .filter(
          (s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId,
        )
        .map((s): ChildShard => ({
          ShardId: s.shardId,
          ParentShards: [s.parentShardId, s.adjacentParentShardId].filter(
            (p): p is string => p !== undefined,
          ),
          HashKeyRange: {
            StartingHashKey: s.startingHashKey.toString(),
            EndingHashKey: s.endingHashKey.toString(),
          },
        }));
    } else {
      output.NextShardIterator = this.iterator(stream.name, shard.shardId, next);
    }
    return output;
  }

  private putRecords(input: Record<string, unknown>): PutRecordsOutput {
    const stream = this.streamOf(input);
    const entries = input['Records'] as Array<{
      Data: Uint8Array;
      PartitionKey: string;
      ExplicitHashKey?: string;
    }>;
    if (entries.length > 500)
      throw kinesisError('InvalidArgumentException', 'more than 500 records');
    const results: PutRecordsResultEntry[] = entries.map((entry) => {
      const r = this.put(stream.name, entry.PartitionKey, entry.Data, entry.ExplicitHashKey);
      return { ShardId: r.shardId, SequenceNumber: r.sequenceNumber };
    });
    return { FailedRecordCount: 0, Records: results };
  }
}

/** MD5 of a partition key as a 128-bit integer: how Kinesis maps keys to shards. */
export function hashOf(partitionKey: string): bigint {
  const digest = md5(new TextEncoder().encode(partitionKey));
  let value = 0n;
  for (const byte of digest) value = (value << 8n) | BigInt(byte);
  return value;
}

function toShard(shard: FakeShard): Shard {
  return {
    ShardId: shard.shardId,
    ...(shard.parentShardId !== undefined ? { ParentShardId: shard.parentShardId } : {}),
    ...(shard.adjacentParentShardId !== undefined
      ? { AdjacentParentShardId: shard.adjacentParentShardId }
      : {}),
    HashKeyRange: {
      StartingHashKey: shard.startingHashKey.toString(),
      EndingHashKey: shard.endingHashKey.toString(),
    },
    SequenceNumberRange: {
      StartingSequenceNumber: shard.startingSequenceNumber,
      ...(shard.endingSequenceNumber !== undefined
        ? { EndingSequenceNumber: shard.endingSequenceNumber }
        : {}),
    },
  };
}
