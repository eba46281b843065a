// Tumbling-window count per `behavior`, by event time, with watermarks.
//
//   KINESIS_ENDPOINT=http://127.0.0.1:4567 STREAM=user-behavior npx tsx examples/windowCount.ts
//
// Events are JSON: { user_id, item_id, category_id, behavior, ts } with `ts` in ms since the epoch.
import { type Observable, type OperatorFunction, type SchedulerLike, Observable as Rx } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { createKinesisClient } from '../src/client/createKinesisClient.js';
import type { KinesisRecord } from '../src/record.js';
import { readKinesis } from '../src/source/readKinesis.js';
import type { TimedEvent } from '../src/time/Watermark.js';
import { watermarks } from '../src/time/watermarks.js';

export interface UserBehavior {
  readonly user_id: number;
  readonly item_id: number;
  readonly category_id: number;
  readonly behavior: string;
  readonly ts: number;
}

/** One closed window's count for one behavior. */
export interface WindowCount {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly behavior: string;
  readonly count: number;
}

const decoder = new TextDecoder();
const parsed = new WeakMap<KinesisRecord, UserBehavior>();
/** The event of a record, parsed once (the watermark extractor and the counter both need it). */
export const eventOf = (record: KinesisRecord): UserBehavior => {
  let event = parsed.get(record);
  if (event === undefined) {
    event = JSON.parse(decoder.decode(record.data)) as UserBehavior;
    parsed.set(record, event);
  }
  return event;
};

/**
 * Counts records per `behavior` in tumbling event-time windows of `windowMs`;
 * a window is emitted (one element per behavior, in window order) once the
 * watermark passes its end, so it is complete. Records for a window already
 * emitted are late and dropped (`onLate` sees them). Completion emits what is open.
 */
export function countPerWindow(
  windowMs: number,
  onLate: (event: UserBehavior) => void = () => undefined,
): OperatorFunction<TimedEvent, WindowCount> {
  return (source) =>
    new Rx<WindowCount>((subscriber) => {
      const open = new Map<number, Map<string, number>>();
      let watermark = Number.NEGATIVE_INFINITY;
      const close = (upTo: number): void => {
        const due = [...open.keys()]
          .filter((start) => start + windowMs - 1 <= upTo)
          .sort((a, b) => a - b);
        for (const start of due) {
          const counts = open.get(start) as Map<string, number>;
          open.delete(start);
          for (const [behavior, count] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
            subscriber.next({ windowStart: start, windowEnd: start + windowMs, behavior, count });
        }
      };
      return source.subscribe({
        next: (element) => {
          if ('type' in element) {
            if (element.type === 'watermark') {
              watermark = element.timestamp;
              close(watermark);
            }
            return;
          }
          const event = eventOf(element);
          const start = event.ts - (event.ts % windowMs);
          if (start + windowMs - 1 <= watermark) {
            onLate(event);
            return;
          }
          let counts = open.get(start);
          if (counts === undefined) open.set(start, (counts = new Map()));
          counts.set(event.behavior, (counts.get(event.behavior) ?? 0) + 1);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          close(Number.POSITIVE_INFINITY);
          subscriber.complete();
        },
      });
    });
}

export interface WindowCountConfig {
  readonly client: KinesisPort;
  readonly stream: string;
  readonly windowMs?: number;
  readonly maxOutOfOrdernessMs?: number;
  readonly idleIntervalMs?: number;
  readonly initialPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Sees records that came after their window was emitted. */
  readonly onLate?: (event: UserBehavior) => void;
}

/** The whole pipeline: read, watermark by the events' `ts`, count per window and behavior. */
export function windowCount(
  config: WindowCountConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<WindowCount> {
  return readKinesis(
    {
      stream: config.stream,
      client: config.client,
      initialPosition: config.initialPosition ?? 'TRIM_HORIZON',
    },
    scheduler,
  ).pipe(
    watermarks(
      {
        timestampOf: (record) => eventOf(record).ts,
        maxOutOfOrdernessMs: config.maxOutOfOrdernessMs ?? 5_000,
        idleIntervalMs: config.idleIntervalMs ?? 30_000,
      },
      scheduler,
    ),
    countPerWindow(config.windowMs ?? 60_000, config.onLate),
  );
}

if (process.argv[1]?.endsWith('windowCount.ts') === true) {
  const endpoint = process.env['KINESIS_ENDPOINT'];
  const client = createKinesisClient({
    region: process.env['AWS_REGION'] ?? 'us-east-1',
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
  windowCount({ client, stream: process.env['STREAM'] ?? 'user-behavior' }).subscribe((w) =>
    console.log(
      `${new Date(w.windowStart).toISOString()} ${w.behavior.padEnd(6)} ${String(w.count)}`,
    ),
  );
}
