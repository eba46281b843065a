import type { ChildShard, SubscribeToShardEvent, _Record } from '@aws-sdk/client-kinesis';
import { type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import type { KinesisPort } from '../client/KinesisPort.js';
import { type FakeCall, type FakeKinesis, type FakeShard, kinesisError } from './FakeKinesis.js';
import { SyncAnswer } from './syncAnswer.js';

/** How the fake's enhanced fan-out behaves (defaults: as AWS / kinesis-local). */
export interface FakeFanOutOptions {
  /** Clock; use the same scheduler as the FakeKinesis. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Time from RegisterStreamConsumer to ACTIVE. Default 0. */
  readonly activationMs?: number;
  /** Time between SubscribeToShard events (and before the first). Default 1,000. */
  readonly eventIntervalMs?: number;
  /** Lifetime of one subscription. Default 300,000 (5 minutes). */
  readonly subscriptionMs?: number;
  /** Send a ChildShards event at the end of a closed shard (AWS does; kinesis-local does not). Default true. */
  readonly childShardsEvent?: boolean;
}

interface FakeConsumer {
  readonly name: string;
  readonly arn: string;
  readonly streamArn: string;
  readonly stream: string;
  readonly createdAt: number;
}

type StreamItem = { SubscribeToShardEvent: SubscribeToShardEvent };

/**
 * Enhanced fan-out in front of a `FakeKinesis`: Register / Describe /
 * Deregister / ListStreamConsumers and SubscribeToShard, whose `EventStream`
 * is an async iterable answering with synchronous thenables driven by the
 * scheduler, so an EFO reader runs in virtual time. Every other command goes
 * to the wrapped fake. A second subscription of one consumer to one shard
 * gets `ResourceInUseException`, as on AWS; `endSubscriptions()` ends every
 * open subscription the way the 5-minute limit does.
 *
 * ## Example
 * ```ts
 * import { FakeKinesis, FakeFanOut } from 'rx-kinesis/testing';
 * const kinesis = new FakeKinesis({ scheduler });
 * const client = new FakeFanOut(kinesis, { scheduler, eventIntervalMs: 100 });
 * ```
 */
export class FakeFanOut implements KinesisPort {
  readonly calls: FakeCall[] = [];
  private readonly consumers = new Map<string, FakeConsumer>();
  private readonly sessions = new Map<string, FakeSession>();
  private readonly scheduler: SchedulerLike;
  private readonly activationMs: number;
  private readonly eventIntervalMs: number;
  private readonly subscriptionMs: number;
  private readonly childShardsEvent: boolean;

  constructor(
    readonly kinesis: FakeKinesis,
    options: FakeFanOutOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.activationMs = options.activationMs ?? 0;
    this.eventIntervalMs = options.eventIntervalMs ?? 1000;
    this.subscriptionMs = options.subscriptionMs ?? 300_000;
    this.childShardsEvent = options.childShardsEvent ?? true;
  }

  readonly send = ((command: { input: Record<string, unknown> }, options?: unknown) => {
    const name = command.constructor.name;
    const call: FakeCall = { command: name, input: command.input, at: this.scheduler.now() };
    try {
      switch (name) {
        case 'RegisterStreamConsumerCommand':
          this.calls.push(call);
          return SyncAnswer.resolve(this.register(call.input));
        case 'DescribeStreamConsumerCommand':
          this.calls.push(call);
          return SyncAnswer.resolve({ ConsumerDescription: this.describe(call.input) });
        case 'DeregisterStreamConsumerCommand':
          this.calls.push(call);
          this.consumers.delete(this.consumerOf(call.input).arn);
          return SyncAnswer.resolve({});
        case 'ListStreamConsumersCommand':
          this.calls.push(call);
          return SyncAnswer.resolve({ Consumers: this.list(call.input['StreamARN'] as string) });
        case 'SubscribeToShardCommand':
          this.calls.push(call);
          return SyncAnswer.resolve({ EventStream: this.subscribe(call.input) });
        default:
          return (this.kinesis.send as unknown as (c: unknown, o?: unknown) => unknown)(
            command,
            options,
          );
      }
    } catch (error) {
      return SyncAnswer.reject(error);
    }
  }) as unknown as KinesisPort['send'];

  /** Calls of one EFO command, e.g. `callsOf('SubscribeToShardCommand')`. */
  callsOf(command: string): FakeCall[] {
    return this.calls.filter((call) => call.command === command);
  }

  /** Ends every open subscription, as the 5-minute limit would. */
  endSubscriptions(): void {
    for (const session of [...this.sessions.values()]) session.end();
  }

  /** Open subscriptions, as `consumerArn|shardId`. */
  openSubscriptions(): string[] {
    return [...this.sessions.keys()];
  }

  /** Registered consumers of a stream (by name). */
  consumerNames(stream: string): string[] {
    return [...this.consumers.values()].filter((c) => c.stream === stream).map((c) => c.name);
  }

  private register(input: Record<string, unknown>): unknown {
    const streamArn = input['StreamARN'] as string;
    const name = input['ConsumerName'] as string;
    const stream = streamNameOf(streamArn);
    this.kinesis.shardsOf(stream); // throws ResourceNotFoundException for an unknown stream
    for (const c of this.consumers.values()) {
      if (c.streamArn === streamArn && c.name === name) {
        throw kinesisError('ResourceInUseException', `Consumer ${name} exists`);
      }
    }
    const createdAt = this.scheduler.now();
    const consumer: FakeConsumer = {
      name,
      stream,
      streamArn,
      arn: `${streamArn}/consumer/${name}:${Math.floor(createdAt / 1000)}`,
      createdAt,
    };
    this.consumers.set(consumer.arn, consumer);
    return { Consumer: this.view(consumer) };
  }

  private view(c: FakeConsumer): Record<string, unknown> {
    return {
      ConsumerName: c.name,
      ConsumerARN: c.arn,
      ConsumerStatus:
        this.activationMs <= 0 || this.scheduler.now() - c.createdAt >= this.activationMs
          ? 'ACTIVE'
          : 'CREATING',
      ConsumerCreationTimestamp: new Date(c.createdAt),
      StreamARN: c.streamArn,
    };
  }

  private consumerOf(input: Record<string, unknown>): FakeConsumer {
    const arn = input['ConsumerARN'] as string | undefined;
    const found =
      arn !== undefined
        ? this.consumers.get(arn)
        : [...this.consumers.values()].find(
            (c) => c.streamArn === input['StreamARN'] && c.name === input['ConsumerName'],
          );
    if (found === undefined) throw kinesisError('ResourceNotFoundException', 'Consumer not found');
    return found;
  }

  private describe(input: Record<string, unknown>): unknown {
    return this.view(this.consumerOf(input));
  }

  private list(streamArn: string): unknown[] {
    return [...this.consumers.values()]
      .filter((c) => c.streamArn === streamArn)
      .map((c) => this.view(c));
  }

  private subscribe(input: Record<string, unknown>): AsyncIterable<StreamItem> {
    const consumer = this.consumerOf(input);
    if (this.view(consumer)['ConsumerStatus'] !== 'ACTIVE') {
      throw kinesisError('ResourceInUseException', `Consumer ${consumer.name} is not ACTIVE`);
    }
    const shardId = input['ShardId'] as string;
    const shards = this.kinesis.shardsOf(consumer.stream);
    const shard = shards.find((s) => s.shardId === shardId);
    if (shard === undefined) throw kinesisError('ResourceNotFoundException', `No ${shardId}`);
    const key = `${consumer.arn}|${shardId}`;
    if (this.sessions.has(key)) {
      throw kinesisError('ResourceInUseException', `Another subscription to ${shardId} is open`);
    }
    const position = input['StartingPosition'] as {
      Type: string;
      SequenceNumber?: string;
      Timestamp?: Date;
    };
    const session = new FakeSession(
      shard,
      shards,
      startIndex(shard, position),
      this.scheduler,
      this.eventIntervalMs,
      this.childShardsEvent,
      () => this.sessions.delete(key),
    );
    this.sessions.set(key, session);
    const ending = this.scheduler.schedule(() => session.end(), this.subscriptionMs);
    session.onClose = () => ending.unsubscribe();
    return session;
  }
}

/** One open SubscribeToShard: an async iterable whose `next()` settles on the scheduler. */
class FakeSession implements AsyncIterable<StreamItem> {
  onClose: () => void = () => undefined;
  private closed = false;
  private lastEventAt: number;
  private pending: { answer: Later<IteratorResult<StreamItem>>; timer: Subscription } | undefined;
  private continuation: string;
  private finished = false;

  constructor(
    private readonly shard: FakeShard,
    private readonly shards: readonly FakeShard[],
    private index: number,
    private readonly scheduler: SchedulerLike,
    private readonly intervalMs: number,
    private readonly childShardsEvent: boolean,
    private readonly release: () => void,
  ) {
    this.lastEventAt = scheduler.now();
    this.continuation = shard.records[index - 1]?.sequenceNumber ?? shard.startingSequenceNumber;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamItem> {
    return {
      next: () => this.next(),
      return: () => {
        this.end();
        return SyncAnswer.resolve({ done: true, value: undefined });
      },
    } as unknown as AsyncIterator<StreamItem>;
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.onClose();
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) {
      pending.timer.unsubscribe();
      pending.answer.resolve({ done: true, value: undefined });
    }
  }

  private next(): PromiseLike<IteratorResult<StreamItem>> {
    if (this.closed || this.finished) {
      this.end();
      return SyncAnswer.resolve({ done: true, value: undefined });
    }
    const answer = new Later<IteratorResult<StreamItem>>();
    const delay = Math.max(0, this.lastEventAt + this.intervalMs - this.scheduler.now());
    const timer = this.scheduler.schedule(() => {
      this.pending = undefined;
      this.lastEventAt = this.scheduler.now();
      answer.resolve({ done: false, value: { SubscribeToShardEvent: this.event() } });
    }, delay);
    this.pending = { answer, timer };
    return answer;
  }

  private event(): SubscribeToShardEvent {
    const records = this.shard.records.slice(this.index, this.index + 10_000);
    this.index += records.length;
    const last = records[records.length - 1];
    if (last !== undefined) this.continuation = last.sequenceNumber;
    const atEnd = this.index >= this.shard.records.length;
    const event: SubscribeToShardEvent = {
      Records: records.map((r): _Record => ({
        SequenceNumber: r.sequenceNumber,
        PartitionKey: r.partitionKey,
        Data: r.data,
        ApproximateArrivalTimestamp: r.arrival,
      })),
      ContinuationSequenceNumber: this.continuation,
      MillisBehindLatest: atEnd
        ? 0
        : Math.max(0, this.scheduler.now() - (last?.arrival.getTime() ?? 0)),
    };
    if (atEnd && this.shard.endingSequenceNumber !== undefined && this.childShardsEvent) {
      this.finished = true;
      event.ChildShards = this.shards
        .filter(
          (s) =>
            s.parentShardId === this.shard.shardId ||
            s.adjacentParentShardId === this.shard.shardId,
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
    }
    return event;
  }
}

/** A thenable settled later by `resolve`, calling its callbacks synchronously (virtual time). */
class Later<T> implements PromiseLike<T> {
  private settled = false;
  private value: T | undefined;
  private readonly callbacks: Array<(value: T) => void> = [];

  resolve(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.value = value;
    for (const callback of this.callbacks.splice(0)) callback(value);
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
  ): PromiseLike<A | B> {
    if (this.settled) return SyncAnswer.resolve(this.value as T).then(onFulfilled);
    return new Promise<A | B>((resolve) => {
      this.callbacks.push((value) => {
        resolve(onFulfilled ? onFulfilled(value) : (value as unknown as A));
      });
    });
  }
}

function streamNameOf(streamArn: string): string {
  const at = streamArn.indexOf(':stream/');
  if (at < 0) throw kinesisError('InvalidArgumentException', `Not a stream ARN: ${streamArn}`);
  return streamArn.slice(at + ':stream/'.length);
}

function startIndex(
  shard: FakeShard,
  position: { Type: string; SequenceNumber?: string; Timestamp?: Date },
): number {
  const records = shard.records;
  const seq = position.SequenceNumber === undefined ? undefined : BigInt(position.SequenceNumber);
  switch (position.Type) {
    case 'TRIM_HORIZON':
      return 0;
    case 'LATEST':
      return records.length;
    case 'AT_TIMESTAMP': {
      const at = position.Timestamp?.getTime() ?? 0;
      const i = records.findIndex((r) => r.arrival.getTime() >= at);
      return i < 0 ? records.length : i;
    }
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      if (seq === undefined)
        throw kinesisError('InvalidArgumentException', 'SequenceNumber missing');
      const after = position.Type === 'AFTER_SEQUENCE_NUMBER';
      const i = records.findIndex((r) =>
        after ? BigInt(r.sequenceNumber) > seq : BigInt(r.sequenceNumber) >= seq,
      );
      return i < 0 ? records.length : i;
    }
    default:
      throw kinesisError('InvalidArgumentException', `Bad StartingPosition ${position.Type}`);
  }
}
