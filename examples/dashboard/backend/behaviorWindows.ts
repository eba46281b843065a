import { Observable, type OperatorFunction, Subject } from 'rxjs';
import {
  type CheckpointState,
  type KinesisRecord,
  type TimedEvent,
  checkpoints,
  isRecord,
  isWatermark,
} from '../../../src/index.js';
import type { WindowCountEvent } from '../shared/feed.js';
import type { DashboardState } from './DashboardState.js';

/** What a watermark advance produced: the windows it closed and the state to save after them. */
export interface WindowStep {
  readonly closed: readonly WindowCountEvent[];
  readonly state: DashboardState;
}

/** The fields of a record's event that the windows need. */
export interface TimedBehavior {
  readonly behavior: string;
  readonly ts: number;
}

/**
 * Counts records per behavior in tumbling event-time windows of `windowMs`,
 * resuming from `initial`. At every watermark it emits the windows whose end
 * the watermark passed (in window order, behaviors sorted) together with the
 * state after them: the checkpoint over every record so far (`checkpoints()`)
 * and the windows still open. A record for a window already closed is late
 * and goes to `onLate`. Completion closes every open window. A throwing
 * `eventOf` is an error on the Observable.
 */
export function behaviorWindows(
  windowMs: number,
  initial: DashboardState,
  eventOf: (record: KinesisRecord) => TimedBehavior,
  onLate: (record: KinesisRecord) => void = () => undefined,
): OperatorFunction<TimedEvent, WindowStep> {
  return (source) =>
    new Observable<WindowStep>((subscriber) => {
      const open = new Map<number, Map<string, number>>();
      for (const [start, counts] of Object.entries(initial.windows.open))
        open.set(Number(start), new Map(Object.entries(counts)));
      let watermark = initial.windows.watermark;
      let checkpoint: CheckpointState = initial.checkpoint;
      const handled = new Subject<
        Exclude<TimedEvent, { type: 'watermark' | 'shardIdle' | 'shardActive' }>
      >();
      const tracking = handled
        .pipe(checkpoints(initial.checkpoint))
        .subscribe((state) => (checkpoint = state));

      const step = (upTo: number): WindowStep => {
        const closed: WindowCountEvent[] = [];
        for (const start of [...open.keys()].sort((a, b) => a - b)) {
          if (start + windowMs - 1 > upTo) continue;
          const counts = open.get(start) as Map<string, number>;
          open.delete(start);
          for (const [behavior, count] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
            closed.push({
              type: 'window',
              windowStart: start,
              windowEnd: start + windowMs,
              behavior,
              count,
            });
        }
        // a copy per watermark (a few windows), not per record
        const openCopy: Record<string, Record<string, number>> = {};
        for (const [start, counts] of open) openCopy[String(start)] = Object.fromEntries(counts);
        return {
          closed,
          state: { version: 1, checkpoint, windows: { watermark, open: openCopy } },
        };
      };

      const subscription = source.subscribe({
        next: (element) => {
          if (isWatermark(element)) {
            watermark = element.timestamp;
            subscriber.next(step(element.timestamp));
            return;
          }
          if (!isRecord(element)) {
            if (element.type === 'shardStarted' || element.type === 'shardFinished')
              handled.next(element);
            return;
          }
          let event: TimedBehavior;
          try {
            event = eventOf(element);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          handled.next(element);
          const start = event.ts - (event.ts % windowMs);
          if (watermark !== null && start + windowMs - 1 <= watermark) {
            try {
              onLate(element);
            } catch (error) {
              subscriber.error(error);
            }
            return;
          }
          let counts = open.get(start);
          if (counts === undefined) open.set(start, (counts = new Map()));
          counts.set(event.behavior, (counts.get(event.behavior) ?? 0) + 1);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(step(Number.POSITIVE_INFINITY));
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        tracking.unsubscribe();
      };
    });
}
