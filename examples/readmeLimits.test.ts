import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { fromKinesis } from '../src/index.js';
import { FakeKinesis } from '../src/testing/index.js';

// The README's "AWS limits in the fake" example, as written there, with its claims checked.
describe('README: AWS limits in the fake', () => {
  it('reads under limits in virtual time and reports peak calls and refusals', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error('marbles differ');
    });
    let error: unknown;
    let records = 0;
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler, limits: { readBytesPerSecond: 1024 * 1024 } });
      kinesis.createStream('orders', 2);
      for (let i = 0; i < 100; i++) kinesis.put('orders', `key-${i}`, new Uint8Array(1000));
      const reading = fromKinesis(
        { stream: 'orders', client: kinesis, initialPosition: 'TRIM_HORIZON' },
        scheduler,
      ).subscribe({ next: () => (records += 1), error: (e: unknown) => (error = e) });
      scheduler.schedule(() => reading.unsubscribe(), 30_000);
      flush();
      const callsPerShardSecond: number = kinesis.peakPerSecond('GetRecordsCommand'); // ≤ 5
      const refused: number = kinesis.throttleCounts.GetRecordsCommand;
      expect(kinesis.limits?.readBytesPerSecond).toBe(1024 * 1024);
      expect(callsPerShardSecond).toBeLessThanOrEqual(5);
      expect(refused).toBe(0);
    });
    expect(error).toBeUndefined();
    expect(records).toBe(100);
  });
});
