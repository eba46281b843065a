import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { EMPTY, NEVER, Observable, concat, from, map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { KinesisCallError } from '../src/client/errors.js';
import { RequestTimeoutError } from '../src/client/RequestTimeoutError.js';
import { sendCommand } from '../src/client/sendCommand.js';
import type { SinkInput } from '../src/sink/SinkInput.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { hangingPort, runWriter, testScheduler } from './support/sinkRuns.js';

const values = (n: number): SinkInput[] =>
  Array.from({ length: n }, (_, i) => ({ data: `v${i}`, partitionKey: `k${i}` }));

function fakeWithStream(ts: ReturnType<typeof testScheduler>, shards = 1): FakeKinesis {
  const fake = new FakeKinesis({ scheduler: ts });
  fake.createStream('out', shards);
  return fake;
}

describe('sendCommand with a timeout (virtual time)', () => {
  it('aborts the request at the timeout and fails with a retryable RequestTimeoutError', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(fake, () => true);
    ts.run(({ expectObservable }) => {
      const call = sendCommand(
        port,
        new (class PutRecordsCommand {
          readonly input = {};
        })(),
        { ms: 300, scheduler: ts },
      );
      expectObservable(call).toBe('300ms #', undefined, new RequestTimeoutError('PutRecords', 300));
    });
    expect(port.aborted).toBe(1);
  });

  it('an answer in time cancels the timer', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    ts.run(({ expectObservable }) => {
      const call = sendCommand(fake, new ListShardsCommand({ StreamName: 'out' }), {
        ms: 300,
        scheduler: ts,
      });
      expectObservable(call.pipe(map(() => 'x'))).toBe('(x|)');
    });
    expect(ts.actions).toHaveLength(0);
  });
});

describe('requestTimeoutMs in the sink (virtual time)', () => {
  it('empty: no request, no timer', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const run = runWriter(ts, { stream: 'out', client: fake, requestTimeoutMs: 100 }, EMPTY);
    expect(run.completedAt).toBe(0);
    expect(run.actionsLeft).toBe(0);
  });

  it('one: a PutRecords with no answer is aborted after requestTimeoutMs and retried under the retry policy', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(
      fake,
      (command, index) => command === 'PutRecordsCommand' && index === 0,
    );
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        flushBuffer: { timeoutMs: 0 },
        requestTimeoutMs: 250,
        retry: { base: 100, max: 100 },
        random: () => 0.5,
      },
      from(values(1)),
    );
    expect(run.error).toBeUndefined();
    expect(port.aborted).toBe(1);
    expect(run.acks.map((a) => a.value.partitionKey)).toEqual(['k0']);
    // aborted at 250, retried after the jittered backoff (50), answered at once
    expect(run.completedAt).toBe(300);
    expect(run.writer.summary).toMatchObject({ requests: 2, retries: 1, retriedRecords: 1 });
    expect(run.actionsLeft).toBe(0);
  });

  it('many: every timed-out request is retried; all records acknowledged once, in order', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts, 2);
    const port = hangingPort(
      fake,
      (command, index) => command === 'PutRecordsCommand' && index % 2 === 0,
    );
    const input = values(50);
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        batch: { maxSize: 10 },
        requestTimeoutMs: 100,
        retry: { base: 10, max: 10 },
        random: () => 0.5,
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks.map((a) => a.value)).toEqual(input);
    expect(port.aborted).toBe(5);
    expect(fake.shardsOf('out').flatMap((s) => s.records)).toHaveLength(50);
  });

  it('error: past the retry limit the sink fails with KinesisCallError caused by RequestTimeoutError', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(fake, (command) => command === 'PutRecordsCommand');
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        flushBuffer: { timeoutMs: 0 },
        requestTimeoutMs: 100,
        retry: { base: 10, max: 10, maxRetries: 2 },
        random: () => 0.5,
      },
      from(values(1)),
    );
    expect(run.error).toBeInstanceOf(KinesisCallError);
    expect((run.error as KinesisCallError).cause).toBeInstanceOf(RequestTimeoutError);
    expect(port.aborted).toBe(3);
    expect(run.actionsLeft).toBe(0);
  });

  it('a source error while a request hangs fails at once and aborts it', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(fake, () => true);
    const failure = new Error('source failed');
    const run = runWriter(
      ts,
      { stream: 'out', client: port, flushBuffer: { timeoutMs: 0 }, requestTimeoutMs: 1000 },
      concat(
        from(values(1)),
        new Observable<SinkInput>((s) => {
          ts.schedule(() => s.error(failure), 10);
        }),
      ),
    );
    expect(run.error).toBe(failure);
    expect(port.aborted).toBe(1);
    expect(run.actionsLeft).toBe(0);
  });

  it('never-ending source: each record acked after its timed-out first attempt; unsubscribing leaves no timer', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(
      fake,
      (command, index) => command === 'PutRecordsCommand' && index % 2 === 0,
    );
    ts.run(({ hot, expectObservable }) => {
      const source = hot<SinkInput>('a 499ms b', {
        a: { data: 'a', partitionKey: 'ka' },
        b: { data: 'b', partitionKey: 'kb' },
      });
      const acks = source.pipe(
        writeToKinesis(
          {
            stream: 'out',
            client: port,
            flushBuffer: { timeoutMs: 0 },
            requestTimeoutMs: 200,
            retry: { base: 40, max: 40 },
            random: () => 0.5,
          },
          ts,
        ),
        map((ack) => ack.value.partitionKey),
      );
      expectObservable(acks, '^ 999ms !').toBe('220ms a 499ms b', { a: 'ka', b: 'kb' });
    });
    expect(ts.actions).toHaveLength(0);
  });

  it('unsubscribing while a request hangs aborts it and cancels its timeout', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts);
    const port = hangingPort(fake, () => true);
    const run = runWriter(
      ts,
      { stream: 'out', client: port, flushBuffer: { timeoutMs: 0 }, requestTimeoutMs: 1000 },
      concat(from(values(1)), NEVER),
      (subscription) => ts.schedule(() => subscription.unsubscribe(), 50),
    );
    expect(port.aborted).toBe(1);
    expect(run.error).toBeUndefined();
    expect(run.actionsLeft).toBe(0);
  });

  it('ListShards of the rate limit has the timeout too, and is retried', () => {
    const ts = testScheduler();
    const fake = fakeWithStream(ts, 2);
    const port = hangingPort(
      fake,
      (command, index) => command === 'ListShardsCommand' && index === 0,
    );
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        flushBuffer: { timeoutMs: 0 },
        rateLimit: 100,
        requestTimeoutMs: 500,
        random: () => 0.5,
      },
      from(values(3)),
    );
    expect(run.error).toBeUndefined();
    expect(port.aborted).toBe(1);
    expect(fake.callsOf('ListShardsCommand')).toHaveLength(1);
    expect(run.acks).toHaveLength(3);
    // timed out at 500, then the ListShards backoff (base 1000, jitter 0.5)
    expect(run.completedAt).toBe(1000);
  });
});
