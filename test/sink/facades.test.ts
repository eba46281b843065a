import { NEVER, Observable, concat, finalize, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadModule } from '../../src/module/loadModule.js';
import type { EgressRecord } from '../../src/module/loadModule.js';
import { feedSink } from '../../src/node/cli/feedSink.js';
import { progressLine } from '../../src/node/cli/progressLine.js';
import { mapSinkInput } from '../../src/sink/mapSinkInput.js';
import type { KinesisSink } from '../../src/sink/toKinesis.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { defineTable } from '../../src/table/defineTable.js';
import type { TableRow } from '../../src/table/defineTable.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

/** An endless source that records how far it got and whether it was torn down. */
function endless<T>(make: (i: number) => T): {
  source: Observable<T>;
  readonly emitted: number;
  readonly tornDown: boolean;
} {
  const probe = { emitted: 0, tornDown: false };
  const source = new Observable<T>((subscriber) => {
    // synchronous values first, then one every tick until stopped
    const push = (): void => {
      if (subscriber.closed) return;
      probe.emitted += 1;
      subscriber.next(make(probe.emitted));
    };
    for (let i = 0; i < 3; i++) push();
    const timer = setInterval(push, 1);
    return () => {
      clearInterval(timer);
      probe.tornDown = true;
    };
  });
  return {
    source,
    get emitted() {
      return probe.emitted;
    },
    get tornDown() {
      return probe.tornDown;
    },
  };
}

const storedIn = (fake: FakeKinesis, stream: string): unknown[] =>
  fake.shardsOf(stream).flatMap((shard) => shard.records);

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

const TABLE = defineTable({
  name: 'orders',
  columns: [
    { name: 'id', type: 'BIGINT' },
    { name: 'item', type: 'STRING' },
  ],
  partitionedBy: ['id'],
  options: { connector: 'kinesis', stream: 'orders', 'aws.region': 'us-east-1', format: 'json' },
});

const EGRESS = (stream: string | undefined): string => `version: "1.0"
module:
  meta:
    type: remote
  spec:
    egresses:
      - egress:
          meta:
            type: statefun.kinesis.io/generic-egress
            id: example/out
          spec:
            awsRegion:
              type: specific
              id: us-east-1
${stream === undefined ? '' : `            stream: ${stream}\n`}`;

/** Each facade, as a sink of its own values, over a fake with or without the stream. */
const FACADES: ReadonlyArray<{
  name: string;
  sink(client: FakeKinesis): KinesisSink<unknown>;
  value(i: number): unknown;
}> = [
  {
    name: 'table sink',
    sink: (client) => TABLE.sink({ overrides: { client } }) as unknown as KinesisSink<unknown>,
    value: (i): TableRow => ({ id: i, item: `item-${i}` }),
  },
  {
    name: 'module egress with spec.stream',
    sink: (client) =>
      loadModule(EGRESS('orders'))
        .egress('example/out')
        .sink({ client }) as unknown as KinesisSink<unknown>,
    value: (i): EgressRecord => ({ data: `d${i}`, partitionKey: `k${i}` }),
  },
  {
    name: 'module egress, each record names its stream',
    sink: (client) =>
      loadModule(EGRESS(undefined))
        .egress('example/out')
        .sink({ client }) as unknown as KinesisSink<unknown>,
    value: (i): EgressRecord => ({ data: `d${i}`, partitionKey: `k${i}`, stream: 'orders' }),
  },
];

describe.each(FACADES)('$name stops its source like toKinesis', ({ sink: sinkOf, value }) => {
  it('on failure (the stream does not exist): done rejects and the source is unsubscribed', async () => {
    const fake = new FakeKinesis();
    const probe = endless(value);
    const sink = sinkOf(fake);
    probe.source.subscribe(sink);
    await expect(sink.done).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    expect(probe.tornDown).toBe(true);
    const emitted = probe.emitted;
    await settle();
    expect(probe.emitted).toBe(emitted);
  });

  it('on abort: done rejects with SinkAbortedError and the source is unsubscribed', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 2);
    const probe = endless(value);
    const sink = sinkOf(fake);
    probe.source.subscribe(sink);
    sink.abort();
    await expect(sink.done).rejects.toMatchObject({ name: 'SinkAbortedError' });
    expect(probe.tornDown).toBe(true);
  });

  it('on completion: everything is stored, done resolves and the source subscription is closed', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 2);
    let finalized = false;
    const sink = sinkOf(fake);
    of(value(1), value(2), value(3))
      .pipe(finalize(() => (finalized = true)))
      .subscribe(sink);
    await expect(sink.done).resolves.toMatchObject({ records: 3 });
    expect(finalized).toBe(true);
    expect(storedIn(fake, 'orders')).toHaveLength(3);
  });
});

describe('a facade whose input mapping fails', () => {
  it('table sink: a row that does not encode fails the sink and stops the source', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 2);
    // a value the JSON format cannot write (a cycle): encoding the row throws
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const probe = endless((i) => ({ id: i, item: i === 2 ? cyclic : 'x' }));
    const sink = TABLE.sink({ overrides: { client: fake } });
    probe.source.subscribe(sink as unknown as KinesisSink<unknown>);
    await expect(sink.done).rejects.toThrow(/circular/i);
    expect(probe.tornDown).toBe(true);
    expect(probe.emitted).toBe(2);
  });

  it('module egress without spec.stream: a record without a stream fails the sink and stops the source', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 2);
    const probe = endless((i): EgressRecord =>
      i === 2
        ? { data: 'x', partitionKey: 'k' }
        : { data: 'x', partitionKey: 'k', stream: 'orders' },
    );
    const sink = loadModule(EGRESS(undefined)).egress('example/out').sink({ client: fake });
    probe.source.subscribe(sink);
    await expect(sink.done).rejects.toThrow(/egress example\/out: record\.stream/);
    expect(probe.tornDown).toBe(true);
    expect(probe.emitted).toBe(2);
  });

  it('mapSinkInput: a throwing projection is the sink error, nothing after it is written', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 1);
    const sink = mapSinkInput(toKinesis({ stream: 'orders', client: fake }), (n: number) => {
      if (n === 3) throw new Error('bad value 3');
      return { data: String(n), partitionKey: 'k' };
    });
    let tornDown = false;
    concat(of(1, 2, 3, 4), NEVER)
      .pipe(finalize(() => (tornDown = true)))
      .subscribe(sink);
    await expect(sink.done).rejects.toThrow('bad value 3');
    expect(tornDown).toBe(true);
  });
});

describe('the CLI feeding a sink (put, copy, run)', () => {
  const quiet = (): ReturnType<typeof progressLine> => progressLine('t:', process.stderr, true);

  it('stops reading its input when the sink fails', async () => {
    const fake = new FakeKinesis();
    const probe = endless((i) => ({ data: `d${i}`, partitionKey: 'k' }));
    await expect(
      feedSink(probe.source, toKinesis({ stream: 'missing', client: fake }), quiet()),
    ).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    expect(probe.tornDown).toBe(true);
  });

  it('stops reading its input and aborts the sink when its signal aborts (Ctrl-C)', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 1);
    const probe = endless((i) => ({ data: `d${i}`, partitionKey: 'k' }));
    const interrupt = new AbortController();
    const fed = feedSink(
      probe.source,
      toKinesis({ stream: 'orders', client: fake }),
      quiet(),
      interrupt.signal,
    );
    interrupt.abort();
    await expect(fed).rejects.toMatchObject({ name: 'SinkAbortedError' });
    expect(probe.tornDown).toBe(true);
  });

  it('resolves when everything is stored, with the input finished', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 1);
    let finalized = false;
    await feedSink(
      of({ data: 'a', partitionKey: 'k' }).pipe(finalize(() => (finalized = true))),
      toKinesis({ stream: 'orders', client: fake }),
      quiet(),
    );
    expect(finalized).toBe(true);
    expect(storedIn(fake, 'orders')).toHaveLength(1);
  });
});
