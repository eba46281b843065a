import {
  ExpiredIteratorException,
  InvalidArgumentException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  type ChildShard,
  type GetRecordsOutput,
  type ListShardsOutput,
  type PutRecordsOutput,
  type PutRecordsResultEntry,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { md5 } from '../kpl/md5.js';
import { type SchedulerLike, asyncScheduler } from 'rxjs';
import type { KinesisPort } from '../client/KinesisPort.js';
import { utf8Length } from '../kpl/utf8Length.js';
import { type FakeLimits, type FakeLimitsOption, fakeLimitsOf } from './FakeLimits.js';
import { SlidingWindow } from './SlidingWindow.js';
import { SyncAnswer } from './syncAnswer.js';

const MAX_HASH = (1n << 128n) - 1n;
const ITERATOR_TTL_MS = 300_000;
/** The most bytes one GetRecords returns. */
const GET_RECORDS_MAX_BYTES = 10 * 1024 * 1024;

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

/** The commands whose throughput the fake records (and, with `limits`, limits). */
export type FakeThroughputCommand =
  'GetRecordsCommand' | 'PutRecordCommand' | 'PutRecordsCommand' | 'ListShardsCommand';

/**
 * One entry of the fake's throughput record: a GetRecords or PutRecord call
 * on one shard, the part of a PutRecords call that went to one shard, or a
 * ListShards call on one stream (no `shardId`). Bytes count data and
 * partition keys.
 */
export interface FakeThroughput {
  readonly command: FakeThroughputCommand;
  readonly stream: string;
  readonly shardId?: string;
  readonly at: number;
  /** Records read or stored. */
  readonly records: number;
  readonly bytes: number;
  /** Records a write refused (PutRecords entries over the limit, a refused PutRecord). */
  readonly refusedRecords: number;
  readonly refusedBytes: number;
  /** The limits refused the call, or some of its entries. */
  readonly throttled: boolean;
}

/** How many calls (for PutRecords: entries) the fake's limits refused, per command. */
export type FakeThrottleCounts = Record<FakeThroughputCommand, number>;

export interface FakeKinesisOptions {
  /** Clock for arrival times, iterator expiry and limits. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Enforce AWS's per-shard limits (off by default): `true` for AWS's
   * figures, or an object changing some of them (`FakeLimits`). See the
   * class documentation for the model.
   */
  readonly limits?: FakeLimitsOption;
}

/** Per-shard limiter state. */
interface ShardBudget {
  readonly getRecordsCalls: SlidingWindow;
  readonly writeRecords: SlidingWindow;
  readonly writeBytes: SlidingWindow;
  /** A GetRecords before this time is throttled: the shard is paying back an earlier read. */
  readBlockedUntil: number;
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
    case 'ProvisionedThroughputExceededException':
      return new ProvisionedThroughputExceededException(meta);
    case 'LimitExceededException':
      return new LimitExceededException(meta);
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
 * With `limits` it enforces AWS's limits in the time of its scheduler
 * (virtual under `TestScheduler.run`). Every limit is a sliding one-second
 * window `(now − 1000 ms, now]` — stricter than per-second buckets, so a
 * client that passes the fake passes AWS:
 * - GetRecords, per shard: at most `getRecordsPerSecond` (5) calls in any
 *   window, throttled calls included (a client retrying too fast stays
 *   throttled). Reads: a GetRecords returning B bytes (data + partition
 *   keys, at most 10 MiB) throttles every GetRecords of that shard for the
 *   next B / `readBytesPerSecond` seconds (2 MiB/s: a 10 MiB read blocks
 *   the next 5 s, as AWS documents); a call is served whole or not at all.
 * - Writes, per shard (found by the MD5 of the key or the ExplicitHashKey):
 *   at most `writeRecordsPerSecond` (1,000) records and `writeBytesPerSecond`
 *   (1 MiB, data + partition key) stored in any window. PutRecords checks
 *   entries in order and refuses those over the limit one by one
 *   (`ErrorCode: 'ProvisionedThroughputExceededException'`), storing the
 *   rest; a PutRecord over the limit is refused whole.
 * - ListShards, per stream: at most `listShardsPerSecond` calls in any
 *   window (AWS documents 1,000 per data stream; older pages said 100).
 * Past a limit a whole call fails as the SDK would raise it:
 * `ProvisionedThroughputExceededException` for GetRecords and PutRecord,
 * `LimitExceededException` for ListShards (AWS's error for that API).
 * `put()` (test set-up) is never limited. `throughput` records every
 * GetRecords / PutRecord(s) / ListShards with its shard, time, records and
 * bytes, limits on or off; `throttleCounts` and `peakPerSecond` summarise it.
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
  /** Every GetRecords / PutRecord(s) / ListShards per shard (stream for ListShards), in time order. */
  readonly throughput: FakeThroughput[] = [];
  /** Calls refused by the limits, per command; for PutRecords, refused entries. */
  readonly throttleCounts: FakeThrottleCounts = {
    GetRecordsCommand: 0,
    PutRecordCommand: 0,
    PutRecordsCommand: 0,
    ListShardsCommand: 0,
  };
  /** The limits in force, or undefined when none are. */
  readonly limits: FakeLimits | undefined;
  private readonly budgets = new Map<string, ShardBudget>();
  private readonly listShardsCalls = new Map<string, SlidingWindow>();
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
    this.limits = fakeLimitsOf(options.limits);
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
    const shard = this.shardFor(stream, partitionKey, explicitHashKey);
    return this.append(shard, partitionKey, bytesOf(data), explicitHashKey);
  }

  /**
   * The most calls, records or bytes of `command` that one shard (one
   * stream, for ListShards) saw in any one-second window `(t − 1000 ms, t]`,
   * from `throughput`. `includeThrottled` defaults to true for `'calls'`
   * (what the client sent) and false for `'records'`/`'bytes'` (what was
   * stored or read); without it, a call refused whole is left out, and
   * refused entries are not counted. For PutRecords, `'calls'` counts calls
   * that reached the shard.
   *
   * ## Example
   * ```ts
   * import { FakeKinesis } from 'rx-kinesis/testing';
   * const kinesis = new FakeKinesis({ limits: true });
   * // ... run a pipeline against it, then:
   * kinesis.peakPerSecond('GetRecordsCommand') <= 5; // true for a well-behaved reader
   * kinesis.peakPerSecond('PutRecordsCommand', { measure: 'records' }) <= 1000; // always true
   * ```
   */
  peakPerSecond(
    command: FakeThroughputCommand,
    options: {
      readonly measure?: 'calls' | 'records' | 'bytes';
      readonly includeThrottled?: boolean;
    } = {},
  ): number {
    const measure = options.measure ?? 'calls';
    const includeThrottled = options.includeThrottled ?? measure === 'calls';
    const byTarget = new Map<string, FakeThroughput[]>();
    for (const entry of this.throughput) {
      if (entry.command !== command) continue;
      if (!includeThrottled && entry.throttled && entry.records === 0) continue;
      const key = `${entry.stream}/${entry.shardId ?? ''}`;
      const list = byTarget.get(key);
      if (list === undefined) byTarget.set(key, [entry]);
      else list.push(entry);
    }
    let peak = 0;
    for (const list of byTarget.values()) {
      let left = 0;
      let sum = 0;
      for (const entry of list) {
        sum += amountOf(entry, measure, includeThrottled);
        while ((list[left] as FakeThroughput).at <= entry.at - 1000) {
          sum -= amountOf(list[left] as FakeThroughput, measure, includeThrottled);
          left += 1;
        }
        if (sum > peak) peak = sum;
      }
    }
    return peak;
  }

  private shardFor(stream: FakeStream, partitionKey: string, explicitHashKey?: string): FakeShard {
    const hash = explicitHashKey !== undefined ? BigInt(explicitHashKey) : hashOf(partitionKey);
    const shard = stream.shards.find(
      (s) =>
        s.endingSequenceNumber === undefined &&
        s.startingHashKey <= hash &&
        hash <= s.endingHashKey,
    );
    if (shard === undefined) throw kinesisError('InternalFailure', 'no open shard for hash', 500);
    return shard;
  }

  private append(
    shard: FakeShard,
    partitionKey: string,
    data: Uint8Array,
    explicitHashKey: string | undefined,
  ): { shardId: string; sequenceNumber: string } {
    const record: FakeRecord = {
      sequenceNumber: isoSeq(this.nextSequence()),
      partitionKey,
      ...(explicitHashKey !== undefined ? { explicitHashKey } : {}),
      data,
      arrival: new Date(this.scheduler.now()),
    };
    shard.records.push(record);
    return { shardId: shard.shardId, sequenceNumber: record.sequenceNumber };
  }

  private budget(stream: FakeStream, shard: FakeShard): ShardBudget {
    const key = `${stream.name}/${shard.shardId}`;
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = {
        getRecordsCalls: new SlidingWindow(),
        writeRecords: new SlidingWindow(),
        writeBytes: new SlidingWindow(),
        readBlockedUntil: -Infinity,
      };
      this.budgets.set(key, budget);
    }
    return budget;
  }

  /**
   * Whether the shard may store `records` more records of `bytes` now; if
   * so they are counted. A write into a window holding nothing is always
   * admitted, so a single record bigger than the byte budget still gets in.
   */
  private admitWrite(
    stream: FakeStream,
    shard: FakeShard,
    records: number,
    bytes: number,
  ): boolean {
    const limits = this.limits;
    if (limits === undefined) return true;
    const budget = this.budget(stream, shard);
    const now = this.scheduler.now();
    const storedRecords = budget.writeRecords.total(now);
    const storedBytes = budget.writeBytes.total(now);
    const empty = storedRecords === 0 && storedBytes === 0;
    if (
      !empty &&
      (storedRecords + records > limits.writeRecordsPerSecond ||
        storedBytes + bytes > limits.writeBytesPerSecond)
    ) {
      return false;
    }
    budget.writeRecords.add(now, records);
    budget.writeBytes.add(now, bytes);
    return true;
  }

  private note(
    command: FakeThroughputCommand,
    stream: FakeStream,
    shardId: string | undefined,
    records: number,
    bytes: number,
    throttled: boolean,
    refusedRecords = 0,
    refusedBytes = 0,
  ): void {
    this.throughput.push({
      command,
      stream: stream.name,
      ...(shardId !== undefined ? { shardId } : {}),
      at: this.scheduler.now(),
      records,
      bytes,
      refusedRecords,
      refusedBytes,
      throttled,
    });
  }

  private rateExceeded(stream: FakeStream, shard: FakeShard): string {
    return `Rate exceeded for shard ${shard.shardId} in stream ${stream.name} under account ${this.accountId}.`;
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
      case 'PutRecordCommand':
        return this.putRecord(input);
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
    if (this.limits !== undefined) {
      let window = this.listShardsCalls.get(stream.name);
      if (window === undefined) {
        window = new SlidingWindow();
        this.listShardsCalls.set(stream.name, window);
      }
      const now = this.scheduler.now();
      const calls = window.total(now);
      window.add(now, 1);
      if (calls >= this.limits.listShardsPerSecond) {
        this.throttleCounts.ListShardsCommand += 1;
        this.note('ListShardsCommand', stream, undefined, 0, 0, true);
        throw kinesisError(
          'LimitExceededException',
          `Rate exceeded for stream ${stream.name} under account ${this.accountId}.`,
        );
      }
    }
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
    this.note('ListShardsCommand', stream, undefined, 0, 0, false);
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
    const limits = this.limits;
    const budget = limits !== undefined ? this.budget(stream, shard) : undefined;
    const now = this.scheduler.now();
    if (limits !== undefined && budget !== undefined) {
      // every call counts towards the call rate, a refused one too
      const calls = budget.getRecordsCalls.total(now);
      budget.getRecordsCalls.add(now, 1);
      if (calls >= limits.getRecordsPerSecond || now < budget.readBlockedUntil) {
        this.throttleCounts.GetRecordsCommand += 1;
        this.note('GetRecordsCommand', stream, shard.shardId, 0, 0, true);
        throw kinesisError(
          'ProvisionedThroughputExceededException',
          this.rateExceeded(stream, shard),
        );
      }
    }
    const limit = Math.min((input['Limit'] as number | undefined) ?? 10_000, 10_000);
    // at most `limit` records and 10 MiB (at least one record)
    let end = parsed.index;
    let bytes = 0;
    const stop = Math.min(shard.records.length, parsed.index + limit);
    while (end < stop) {
      const r = shard.records[end] as FakeRecord;
      const size = r.data.length + utf8Length(r.partitionKey);
      if (end > parsed.index && bytes + size > GET_RECORDS_MAX_BYTES) break;
      bytes += size;
      end += 1;
    }
    const batch = shard.records.slice(parsed.index, end);
    if (limits !== undefined && budget !== undefined && bytes > 0) {
      budget.readBlockedUntil = now + (bytes * 1000) / limits.readBytesPerSecond;
    }
    this.note('GetRecordsCommand', stream, shard.shardId, batch.length, bytes, false);
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
      Data: Uint8Array | string;
      PartitionKey: string;
      ExplicitHashKey?: string;
    }>;
    if (entries.length > 500)
      throw kinesisError('InvalidArgumentException', 'more than 500 records');
    // per shard: [stored records, stored bytes, refused records, refused bytes]
    const perShard = new Map<FakeShard, [number, number, number, number]>();
    let failed = 0;
    const results: PutRecordsResultEntry[] = entries.map((entry) => {
      const shard = this.shardFor(stream, entry.PartitionKey, entry.ExplicitHashKey);
      const data = bytesOf(entry.Data);
      const bytes = data.length + utf8Length(entry.PartitionKey);
      let tally = perShard.get(shard);
      if (tally === undefined) {
        tally = [0, 0, 0, 0];
        perShard.set(shard, tally);
      }
      if (!this.admitWrite(stream, shard, 1, bytes)) {
        failed += 1;
        tally[2] += 1;
        tally[3] += bytes;
        return {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: this.rateExceeded(stream, shard),
        };
      }
      tally[0] += 1;
      tally[1] += bytes;
      const r = this.append(shard, entry.PartitionKey, data, entry.ExplicitHashKey);
      return { ShardId: r.shardId, SequenceNumber: r.sequenceNumber };
    });
    for (const [shard, [stored, storedBytes, refused, refusedBytes]] of perShard) {
      this.throttleCounts.PutRecordsCommand += refused;
      this.note(
        'PutRecordsCommand',
        stream,
        shard.shardId,
        stored,
        storedBytes,
        refused > 0,
        refused,
        refusedBytes,
      );
    }
    return { FailedRecordCount: failed, Records: results };
  }

  private putRecord(input: Record<string, unknown>): { ShardId: string; SequenceNumber: string } {
    const stream = this.streamOf(input);
    const partitionKey = input['PartitionKey'] as string;
    const data = bytesOf(input['Data'] as Uint8Array | string);
    const explicitHashKey = input['ExplicitHashKey'] as string | undefined;
    const shard = this.shardFor(stream, partitionKey, explicitHashKey);
    const bytes = data.length + utf8Length(partitionKey);
    if (!this.admitWrite(stream, shard, 1, bytes)) {
      this.throttleCounts.PutRecordCommand += 1;
      this.note('PutRecordCommand', stream, shard.shardId, 0, 0, true, 1, bytes);
      throw kinesisError(
        'ProvisionedThroughputExceededException',
        this.rateExceeded(stream, shard),
      );
    }
    this.note('PutRecordCommand', stream, shard.shardId, 1, bytes, false);
    const r = this.append(shard, partitionKey, data, explicitHashKey);
    return { ShardId: r.shardId, SequenceNumber: r.sequenceNumber };
  }
}

/** MD5 of a partition key as a 128-bit integer: how Kinesis maps keys to shards. */
export function hashOf(partitionKey: string): bigint {
  const digest = md5(new TextEncoder().encode(partitionKey));
  let value = 0n;
  for (const byte of digest) value = (value << 8n) | BigInt(byte);
  return value;
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

function amountOf(
  entry: FakeThroughput,
  measure: 'calls' | 'records' | 'bytes',
  includeRefused: boolean,
): number {
  switch (measure) {
    case 'calls':
      return 1;
    case 'records':
      return entry.records + (includeRefused ? entry.refusedRecords : 0);
    case 'bytes':
      return entry.bytes + (includeRefused ? entry.refusedBytes : 0);
  }
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
