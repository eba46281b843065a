import { EMPTY, NEVER, Observable, finalize, from, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SinkInput } from '../../src/sink/SinkInput.js';
import { SinkAbortedError, toKinesis } from '../../src/sink/toKinesis.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

function fakeWith(...streams: string[]): FakeKinesis {
  const fake = new FakeKinesis();
  for (const s of streams) fake.createStream(s, 2);
  return fake;
}

/** Unhandled rejections seen while `body` runs and a few ticks after. */
async function unhandledDuring(body: () => void | Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('toKinesis: done', () => {
  it('resolves with zeros at once for an empty source, with no request', async () => {
    const fake = fakeWith('out');
    const sink = toKinesis({ stream: 'out', client: fake });
    EMPTY.subscribe(sink);
    await expect(sink.done).resolves.toEqual({
      records: 0,
      requests: 0,
      retries: 0,
      retriedRecords: 0,
      rejected: 0,
    });
    expect(fake.calls).toEqual([]);
  });

  it('abort() raises no unhandled rejection when nobody awaits done, and still rejects it for those who do', async () => {
    const fake = fakeWith('out');
    let sink = toKinesis({ stream: 'out', client: fake });
    const unhandled = await unhandledDuring(() => {
      sink = toKinesis({ stream: 'out', client: fake });
      sink.next({ data: 'x' });
      sink.abort();
    });
    expect(unhandled).toEqual([]);
    await expect(sink.done).rejects.toBeInstanceOf(SinkAbortedError);
  });

  it('fails with the error of an invalidRecords handler that throws, instead of throwing it later', async () => {
    const fake = fakeWith('out');
    const sink = toKinesis<SinkInput>({
      stream: 'out',
      client: fake,
      flushBuffer: { timeoutMs: 1 },
      invalidRecords: () => {
        throw new Error('handler broke');
      },
    });
    from<SinkInput[]>([{ data: 'a' }, { data: 'b', partitionKey: '' }, { data: 'c' }]).subscribe(
      sink,
    );
    await expect(sink.done).rejects.toThrow('handler broke');
  });

  it('counts retries in the summary', async () => {
    const fake = fakeWith('out');
    let failed = false;
    fake.failPutRecordsEntries((_e, index) => {
      if (failed || index !== 0) return undefined;
      failed = true;
      return 'ProvisionedThroughputExceededException';
    });
    const sink = toKinesis({
      stream: 'out',
      client: fake,
      flushBuffer: { timeoutMs: 1 },
      retry: { base: 1, max: 1 },
    });
    of({ data: 'a' }, { data: 'b' }).subscribe(sink);
    await expect(sink.done).resolves.toMatchObject({
      records: 2,
      requests: 2,
      retries: 1,
      retriedRecords: 1,
    });
  });
});

describe('toKinesis stops its source', () => {
  it('unsubscribes the source when the sink fails, so a reader stops reading into a dead sink', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('out', 1);
    let emitted = 0;
    let tornDown = false;
    const source = new Observable<{ data: string; partitionKey: string }>((subscriber) => {
      subscriber.next({ data: 'ok', partitionKey: 'k' });
      // a key over 256 characters: fatal for the sink by default
      subscriber.next({ data: 'bad', partitionKey: 'x'.repeat(300) });
      // an endless reader would go on: it must be stopped by the failed sink
      for (let i = 0; i < 5 && !subscriber.closed; i++) {
        emitted += 1;
        subscriber.next({ data: `late-${i}`, partitionKey: 'k' });
      }
      return () => {
        tornDown = true;
      };
    });
    const sink = toKinesis({ stream: 'out', client: kinesis });
    source.subscribe(sink);
    await expect(sink.done).rejects.toMatchObject({ name: 'InvalidRecordError' });
    expect(tornDown).toBe(true);
    expect(emitted).toBe(0);
    expect(kinesis.callsOf('PutRecordsCommand')).toHaveLength(0);
  });

  it('unsubscribes the source when aborted', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('out', 1);
    let finalized = false;
    const sink = toKinesis({ stream: 'out', client: kinesis });
    NEVER.pipe(finalize(() => (finalized = true))).subscribe(sink);
    sink.abort();
    await expect(sink.done).rejects.toMatchObject({ name: 'SinkAbortedError' });
    expect(finalized).toBe(true);
  });
});
