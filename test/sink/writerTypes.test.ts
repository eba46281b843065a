import { type Observable, map, of } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';
import type { SinkAck } from '../../src/sink/SinkInput.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';

describe('writeToKinesis: the ack value has the upstream type', () => {
  it('infers from what flows in, not from the config', async () => {
    const client = new FakeKinesis();
    client.createStream('counts', 1);
    const writer = writeToKinesis({ stream: 'counts', client });
    const acks = of({ behavior: 'buy', n: 3 }).pipe(
      map((c) => ({ data: JSON.stringify(c), partitionKey: c.behavior, source: c })),
      writer,
    );
    const typed: Observable<
      SinkAck<{ data: string; partitionKey: string; source: { behavior: string; n: number } }>
    > = acks;
    expectTypeOf(typed).toEqualTypeOf(acks);
    const sources = acks.pipe(map((ack) => ack.value.source.n));
    // @ts-expect-error a field the upstream value does not have
    acks.pipe(map((ack) => ack.value.nope));
    const got: number[] = [];
    await new Promise<void>((resolve, reject) =>
      sources.subscribe({ next: (n) => got.push(n), error: reject, complete: resolve }),
    );
    expect(got).toEqual([3]);
  });

  it('still refuses an upstream that is not sink input', () => {
    const writer = writeToKinesis({ stream: 'counts', client: new FakeKinesis() });
    // @ts-expect-error no data: not a SinkInput
    of({ partitionKey: 'k' }).pipe(writer);
    expect(typeof writer).toBe('function');
  });
});
