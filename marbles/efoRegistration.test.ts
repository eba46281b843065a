import {
  RegisterStreamConsumerCommand,
  type RegisterStreamConsumerInput,
} from '@aws-sdk/client-kinesis';
import { NEVER, type Observable, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KinesisCallError } from '../src/client/errors.js';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { type EfoConfig, efoStrategy } from '../src/source/efo/efoStrategy.js';
import type { ShardBatch } from '../src/source/ShardEvent.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import type { ShardReader } from '../src/source/ShardReader.js';
import { FakeFanOut } from '../src/testing/FakeFanOut.js';
import { FakeKinesis, kinesisError } from '../src/testing/FakeKinesis.js';
import { SyncAnswer } from '../src/testing/syncAnswer.js';

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
const DEREGISTER = 'DeregisterStreamConsumerCommand';
// The fake's ARN for consumer `c` registered at virtual time 0.
const CONSUMER_ARN = `${STREAM_ARN}/consumer/c:0`;

type Answer = (command: string, input: Record<string, unknown>) => PromiseLike<unknown> | undefined;

interface Setup {
  kinesis: FakeKinesis;
  fanOut: FakeFanOut;
  /** The port the strategy uses: the fan-out, with `answer` overriding single calls. */
  port: KinesisPort;
  /** Every call the port saw (including overridden ones), as `[command, input]`. */
  seen: Array<[string, Record<string, unknown>]>;
}

function setup(activationMs: number, answer: Answer = () => undefined): Setup {
  const kinesis = new FakeKinesis();
  kinesis.createStream('s', 1);
  const fanOut = new FakeFanOut(kinesis, { activationMs, eventIntervalMs: 1_000 });
  const seen: Array<[string, Record<string, unknown>]> = [];
  const port = {
    send: (command: { input: Record<string, unknown> }, options?: unknown) => {
      const name = command.constructor.name;
      seen.push([name, command.input]);
      return (
        answer(name, command.input) ??
        (fanOut.send as unknown as (c: unknown, o?: unknown) => unknown)(command, options)
      );
    },
  } as unknown as KinesisPort;
  return { kinesis, fanOut, port, seen };
}

/** A body that reads the stream's one shard until unsubscribed. */
const readShard =
  (s: Setup) =>
  (reader: ShardReader): Observable<ShardBatch> => {
    const shard = s.kinesis.shardsOf('s')[0]!;
    return reader(
      {
        stream: 's',
        shardId: shard.shardId,
        parentShardIds: [],
        hashKeyRange: { startingHashKey: '0', endingHashKey: shard.endingHashKey.toString() },
      },
      { type: 'TRIM_HORIZON' },
      {
        client: s.port,
        scheduler: asyncScheduler,
        recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
      },
    );
  };

/**
 * Subscribes `efoStrategy(config).use(['s'], …)` in virtual time, unsubscribes
 * at `unsubscribeAt`, and runs every timer left (the deregistration's too).
 */
function run(
  s: Setup,
  config: EfoConfig,
  unsubscribeAt: number,
  body: (reader: ShardReader) => Observable<unknown> = () => NEVER,
): { end: string; calls: Array<[number, string]> } {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  let end = 'open';
  const calls: Array<[number, string]> = [];
  scheduler.run(({ flush }) => {
    const port = s.port;
    const recording = {
      send: (command: { constructor: { name: string } }, options?: unknown) => {
        calls.push([scheduler.now(), command.constructor.name]);
        return (port.send as unknown as (c: unknown, o?: unknown) => unknown)(command, options);
      },
    } as unknown as KinesisPort;
    const subscription = efoStrategy(config)
      .use(['s'], recording, scheduler, body)
      .subscribe({
        error: (e: unknown) => (end = `error@${scheduler.now()}:${(e as Error).message}`),
        complete: () => (end = `complete@${scheduler.now()}`),
      });
    scheduler.schedule(() => subscription.unsubscribe(), unsubscribeAt);
    flush();
  });
  return { end, calls };
}

const deregistrations = (s: Setup): Array<Record<string, unknown>> =>
  s.seen.filter(([name]) => name === DEREGISTER).map(([, input]) => input);

/** Holds RegisterStreamConsumer's answer back (the fake still creates the consumer). */
const registerInFlight: (fanOut: () => FakeFanOut) => Answer = (fanOut) => (name, input) => {
  if (name !== 'RegisterStreamConsumerCommand') return undefined;
  void fanOut().send(
    new RegisterStreamConsumerCommand(input as unknown as RegisterStreamConsumerInput),
  );
  return { then: () => new Promise(() => undefined) };
};

function inFlightSetup(): Setup {
  const holder: { fanOut?: FakeFanOut } = {};
  const s = setup(
    10_000,
    registerInFlight(() => holder.fanOut as FakeFanOut),
  );
  holder.fanOut = s.fanOut;
  return s;
}

const LAZY: EfoConfig = { consumerName: 'c', registration: 'LAZY' };

afterEach(() => vi.restoreAllMocks());

describe('efoStrategy LAZY deregistration on teardown', () => {
  it('(1) unsubscribed while RegisterStreamConsumer is in flight: deregistered by stream ARN and name', () => {
    const s = inFlightSetup();
    const { end, calls } = run(s, LAZY, 5);
    expect(end).toBe('open');
    expect(calls.map(([, name]) => name)).toEqual([
      'DescribeStreamSummaryCommand',
      'RegisterStreamConsumerCommand',
      DEREGISTER,
    ]);
    expect(calls[2]![0]).toBe(5);
    expect(deregistrations(s)).toEqual([{ StreamARN: STREAM_ARN, ConsumerName: 'c' }]);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
  });

  it('(1b) unsubscribed in the frame the consumer was registered, still CREATING: deregistered by ARN', () => {
    const s = setup(10_000);
    const { calls } = run(s, LAZY, 0);
    expect(calls.map(([, name]) => name)).toEqual([
      'DescribeStreamSummaryCommand',
      'RegisterStreamConsumerCommand',
      'DescribeStreamConsumerCommand',
      DEREGISTER,
    ]);
    expect(deregistrations(s)).toEqual([{ ConsumerARN: CONSUMER_ARN }]);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
  });

  it('(2) unsubscribed between DescribeStreamConsumer polls: deregistered once, polling stops', () => {
    const s = setup(60_000);
    const { calls } = run(s, LAZY, 3_000);
    const polls = calls.filter(([, name]) => name === 'DescribeStreamConsumerCommand');
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.every(([at]) => at < 3_000)).toBe(true);
    expect(calls[calls.length - 1]).toEqual([3_000, DEREGISTER]);
    expect(deregistrations(s)).toEqual([{ ConsumerARN: CONSUMER_ARN }]);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
  });

  it('(3) unsubscribed after ACTIVE while reading: deregistered once, subscription closed', () => {
    const s = setup(1_000);
    s.kinesis.put('s', 'k', 'r1');
    const { calls } = run(s, LAZY, 20_000, readShard(s));
    expect(s.seen.some(([name]) => name === 'SubscribeToShardCommand')).toBe(true);
    expect(calls[calls.length - 1]).toEqual([20_000, DEREGISTER]);
    expect(deregistrations(s)).toEqual([{ ConsumerARN: CONSUMER_ARN }]);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
    expect(s.fanOut.openSubscriptions()).toEqual([]);
  });

  it('a registration that failed (timeout) still deregisters what it created', () => {
    const s = setup(60_000);
    const { end } = run(s, { ...LAZY, registerTimeoutMs: 5_000 }, 100_000);
    expect(end).toMatch(/^error@5000:RegisterStreamConsumer/);
    expect(deregistrations(s)).toEqual([{ ConsumerARN: CONSUMER_ARN }]);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
  });

  it('a consumer already gone (not found) is not reported', () => {
    const s = setup(10_000, (name) =>
      name === DEREGISTER
        ? SyncAnswer.reject(kinesisError('ResourceNotFoundException'))
        : undefined,
    );
    const onDeregisterError = vi.fn();
    run(s, { ...LAZY, onDeregisterError }, 3_000);
    expect(deregistrations(s)).toHaveLength(1);
    expect(onDeregisterError).not.toHaveBeenCalled();
  });

  it('a CREATING consumer refused with ResourceInUse is retried until deregistered', () => {
    let refusals = 2;
    const s = setup(10_000, (name) =>
      name === DEREGISTER && refusals-- > 0
        ? SyncAnswer.reject(kinesisError('ResourceInUseException'))
        : undefined,
    );
    const onDeregisterError = vi.fn();
    run(s, { ...LAZY, onDeregisterError }, 3_000);
    expect(deregistrations(s)).toHaveLength(3);
    expect(s.fanOut.consumerNames('s')).toEqual([]);
    expect(onDeregisterError).not.toHaveBeenCalled();
  });
});

describe('efoStrategy deregistration failures are reported', () => {
  const throttled: Answer = (name) =>
    name === DEREGISTER ? SyncAnswer.reject(kinesisError('LimitExceededException')) : undefined;

  it('reaches onDeregisterError once, after the deregisterStreamConsumer retries', () => {
    const s = setup(1_000, throttled);
    const errors: KinesisCallError[] = [];
    const { calls } = run(
      s,
      {
        ...LAZY,
        onDeregisterError: (error) => errors.push(error),
        backoff: { deregisterStreamConsumer: { maxRetries: 3 } },
      },
      20_000,
    );
    const attempts = calls.filter(([, name]) => name === DEREGISTER);
    expect(attempts).toHaveLength(4);
    expect(attempts[0]![0]).toBe(20_000);
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error.name).toBe('KinesisCallError');
    expect(error.operation).toBe('DeregisterStreamConsumer');
    expect(error.stream).toBe('s');
    expect((error.cause as Error).name).toBe('LimitExceededException');
    expect(s.fanOut.consumerNames('s')).toEqual(['c']);
  });

  it('uses DEFAULT_BACKOFF.deregisterStreamConsumer (10 retries) unless overridden', () => {
    const s = setup(1_000, throttled);
    const onDeregisterError = vi.fn();
    const { calls } = run(s, { ...LAZY, onDeregisterError }, 20_000);
    expect(calls.filter(([, name]) => name === DEREGISTER)).toHaveLength(11);
    expect(onDeregisterError).toHaveBeenCalledTimes(1);
  });

  it('without onDeregisterError, one console.warn line', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = setup(1_000, throttled);
    run(s, { ...LAZY, backoff: { deregisterStreamConsumer: { maxRetries: 0 } } }, 20_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^rx-kinesis: DeregisterStreamConsumer for stream "s" failed: LimitExceededException/,
    );
  });
});

describe('EAGER and NONE never deregister', () => {
  const moments: Array<[string, number, number]> = [
    ['while RegisterStreamConsumer is in flight', 10_000, 5],
    ['between DescribeStreamConsumer polls', 60_000, 3_000],
    ['after ACTIVE', 1_000, 20_000],
  ];
  for (const [moment, activationMs, at] of moments) {
    it(`EAGER, unsubscribed ${moment}`, () => {
      const s = at === 5 ? inFlightSetup() : setup(activationMs);
      run(s, { consumerName: 'c', registration: 'EAGER' }, at);
      expect(s.seen.some(([name]) => name === 'RegisterStreamConsumerCommand')).toBe(true);
      expect(deregistrations(s)).toEqual([]);
      expect(s.fanOut.consumerNames('s')).toEqual(['c']);
    });
  }

  it('NONE, unsubscribed after reading', () => {
    const s = setup(0);
    // The consumer an operator registered beforehand.
    let arn = '';
    void s.fanOut
      .send(new RegisterStreamConsumerCommand({ StreamARN: STREAM_ARN, ConsumerName: 'ops' }))
      .then((out) => (arn = out.Consumer?.ConsumerARN ?? ''));
    s.kinesis.put('s', 'k', 'r1');
    const { end } = run(
      s,
      { registration: 'NONE', consumerArns: { s: arn } },
      20_000,
      readShard(s),
    );
    expect(end).toBe('open');
    expect(s.seen.some(([name]) => name === 'SubscribeToShardCommand')).toBe(true);
    expect(deregistrations(s)).toEqual([]);
    expect(s.fanOut.consumerNames('s')).toEqual(['ops']);
  });
});

describe('efoStrategy: an onDeregisterError that throws', () => {
  it('is one console.warn line naming both errors, not an uncaught exception', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = setup(1_000, (name) =>
      name === DEREGISTER ? SyncAnswer.reject(kinesisError('LimitExceededException')) : undefined,
    );
    const { end } = run(
      s,
      {
        ...LAZY,
        onDeregisterError: () => {
          throw new Error('handler broke');
        },
        backoff: { deregisterStreamConsumer: { maxRetries: 0 } },
      },
      20_000,
    );
    expect(end).toBe('open');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^rx-kinesis: onDeregisterError threw Error: handler broke on: DeregisterStreamConsumer for stream "s" failed: LimitExceededException.*; the consumer is left registered$/,
    );
  });
});
