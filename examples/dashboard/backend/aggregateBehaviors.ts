import {
  type Observable,
  type SchedulerLike,
  asyncScheduler,
  concatMap,
  from,
  last,
  map,
  of,
} from 'rxjs';
import {
  type FetchReport,
  type KinesisPort,
  type KinesisRecord,
  readKinesis,
  watermarks,
  writeToKinesis,
} from '../../../src/index.js';
import { eventOf } from '../../windowCount.js';
import { type WindowStep, behaviorWindows } from './behaviorWindows.js';
import { type DashboardState, emptyDashboardState } from './DashboardState.js';

export interface AggregateOptions {
  readonly client: KinesisPort;
  /** Where the page writes shop events. */
  readonly eventsStream: string;
  /** Where closed windows go, one record per window and behavior (key: the behavior). */
  readonly countsStream: string;
  readonly windowMs: number;
  /** What to resume from (a saved `DashboardState`); default: the stream's start. */
  readonly state?: DashboardState;
  /** Sees every fetch of the reader (per-shard `millisBehindLatest`). */
  readonly onFetch?: (report: FetchReport) => void;
  readonly pollIntervalMs?: number;
  /** Sees every event that came after its window was closed. */
  readonly onLate?: (record: KinesisRecord) => void;
}

/**
 * The backend's pipeline: read the events stream (`readKinesis`: records and
 * shard events, for the checkpoint), watermark by the events' `ts`, count per
 * behavior in event-time windows, write each step's closed windows to the
 * counts stream, and only then emit the step: its `state` may be saved, since
 * everything it no longer holds is in Kinesis.
 */
export function aggregateBehaviors(
  options: AggregateOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<WindowStep> {
  const initial = options.state ?? emptyDashboardState();
  return readKinesis(
    {
      stream: options.eventsStream,
      client: options.client,
      initialPosition: 'TRIM_HORIZON',
      checkpoint: initial.checkpoint,
      polling: { intervalMs: options.pollIntervalMs ?? 250 },
      discoveryIntervalMs: 5_000,
      ...(options.onFetch !== undefined ? { onFetch: options.onFetch } : {}),
    },
    scheduler,
  ).pipe(
    watermarks(
      {
        timestampOf: (record) => eventOf(record).ts,
        // browsers' clocks and a busy emulator: events may come a few seconds out of order
        maxOutOfOrdernessMs: 2_000,
        // a page stops clicking: after 5 s the quiet shards let event time follow the clock
        idleIntervalMs: 5_000,
        ...(initial.windows.watermark !== null
          ? { initialWatermark: initial.windows.watermark }
          : {}),
      },
      scheduler,
    ),
    behaviorWindows(options.windowMs, initial, eventOf, options.onLate),
    concatMap((step) =>
      step.closed.length === 0
        ? of(step)
        : from(
            step.closed.map((window) => ({
              data: JSON.stringify(window),
              partitionKey: window.behavior,
            })),
          ).pipe(
            writeToKinesis({ stream: options.countsStream, client: options.client }, scheduler),
            last(),
            map(() => step),
          ),
    ),
  );
}
