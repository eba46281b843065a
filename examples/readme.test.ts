import { map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { fromKinesis } from '../src/index.js';
import { FakeKinesis } from '../src/testing/index.js';

// The README's "Testing your own pipeline" example, as written there.
describe('README: testing your own pipeline', () => {
  it('runs fromKinesis on FakeKinesis in virtual time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('orders', 2);
      kinesis.put('orders', 'k', 'hello');
      const out = fromKinesis({
        stream: 'orders',
        client: kinesis,
        initialPosition: 'TRIM_HORIZON',
      }).pipe(
        map((r) => new TextDecoder().decode(r.data)),
        take(1),
      );
      expectObservable(out).toBe('(a|)', { a: 'hello' });
    });
  });

  it('sees a record written later at its virtual time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable, cold }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('orders', 1);
      cold('1s a').subscribe(() => kinesis.put('orders', 'k', 'late'));
      const out = fromKinesis({
        stream: 'orders',
        client: kinesis,
        initialPosition: 'TRIM_HORIZON',
      }).pipe(
        map((r) => new TextDecoder().decode(r.data)),
        take(1),
      );
      // polled every 200 ms: the record written at 1000 ms is read by the call at 1000 ms
      expectObservable(out).toBe('1s (a|)', { a: 'late' });
    });
  });
});
