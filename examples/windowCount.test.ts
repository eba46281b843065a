import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { type UserBehavior, type WindowCount, windowCount } from './windowCount.js';

describe('examples/windowCount', () => {
  it('counts per behavior in tumbling event-time windows, closed by the watermark', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const out: Array<[number, WindowCount]> = [];
    const late: UserBehavior[] = [];
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('user-behavior', 2);
      const put = (at: number, user: number, behavior: string, ts: number): void => {
        scheduler.schedule(() => {
          const event: UserBehavior = { user_id: user, item_id: 7, category_id: 3, behavior, ts };
          kinesis.put('user-behavior', String(user), JSON.stringify(event));
        }, at);
      };
      // Window 0 (0–10 s): pv ×3 (one out of order), buy ×1, cart ×1.
      put(1_000, 1, 'pv', 1_000);
      put(1_000, 2, 'buy', 2_000);
      put(5_000, 1, 'pv', 4_000);
      put(5_000, 2, 'cart', 9_000);
      put(9_500, 2, 'pv', 6_000);
      // Window 1 (10–20 s): pv ×2.
      put(12_000, 1, 'pv', 11_000);
      put(13_000, 2, 'pv', 15_000);
      // Window 2 (20–30 s): buy ×1; then a record for window 0, long closed: late.
      put(25_000, 1, 'buy', 21_000);
      put(40_000, 1, 'pv', 3_000);
      const subscription = windowCount(
        {
          client: kinesis,
          stream: 'user-behavior',
          windowMs: 10_000,
          maxOutOfOrdernessMs: 2_000,
          idleIntervalMs: 4_000,
          onLate: (event) => late.push(event),
        },
        asyncScheduler,
      ).subscribe((w) => out.push([scheduler.now(), w]));
      scheduler.schedule(() => subscription.unsubscribe(), 60_000);
      flush();
    });
    const windows = out.map(([, w]) => `${w.windowStart / 1000}s ${w.behavior}=${w.count}`);
    expect(windows).toEqual(['0s buy=1', '0s cart=1', '0s pv=3', '10s pv=2', '20s buy=1']);
    expect(late.map((e) => e.ts)).toEqual([3_000]);
    // Windows close in event-time order, and only after their end plus the out-of-orderness.
    const closedAt = out.map(([frame, w]) => frame - w.windowEnd);
    for (const delay of closedAt) expect(delay).toBeGreaterThanOrEqual(2_000 - 1);
  });
});
