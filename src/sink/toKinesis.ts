import {
  type Observable,
  type Observer,
  type SchedulerLike,
  Subject,
  Subscriber,
  asyncScheduler,
} from 'rxjs';
import type { SinkConfig } from './SinkConfig.js';
import type { SinkInput } from './SinkInput.js';
import { type KinesisWriter, type SinkSummary, writeToKinesis } from './writeToKinesis.js';

/**
 * An Observer that writes to Kinesis: pass it to `subscribe`. `done`
 * resolves with the summary once everything sent before `complete` is
 * acknowledged, and rejects on a fatal error (an invalid record, entries
 * still failing after the retries, a missing stream, or an error of the
 * source). `paused$` is true while the sink is full (give it to
 * `fromKinesis({ paused })`). `abort()` stops at once: in-flight requests are
 * aborted and `done` rejects.
 *
 * It is an RxJS `Subscriber`, so `source.subscribe(sink)` ties the source's
 * subscription to it: when the sink fails, is aborted, or has finished, the
 * source is unsubscribed (a `fromKinesis` stops reading into a dead sink).
 */
export interface KinesisSink<T> extends Observer<T> {
  readonly done: Promise<SinkSummary>;
  readonly paused$: Observable<boolean>;
  readonly summary: Readonly<SinkSummary>;
  abort(): void;
}

/** The sink was stopped by `abort()` before it finished. */
export class SinkAbortedError extends Error {
  override readonly name = 'SinkAbortedError';
  constructor() {
    super('the Kinesis sink was aborted before everything was acknowledged');
  }
}

/**
 * Writes what it observes to a Kinesis stream: the sink end of
 * `fromKinesis(source).pipe(...).subscribe(toKinesis(sink))`, made of
 * `writeToKinesis` and nothing else. Options are decoded at once (bad
 * options throw a `ConfigError` before any request).
 *
 * ## Example
 * ```ts
 * import { from } from 'rxjs';
 * import { toKinesis } from 'rx-kinesis';
 * const sink = toKinesis({ stream: 'orders', region: 'eu-west-1' });
 * from([{ data: 'hello', partitionKey: 'user-1' }]).subscribe(sink);
 * const { records, requests, retries } = await sink.done;
 * ```
 *
 * @param config sink options (see `SinkConfig`)
 * @param scheduler where flush timeouts and backoff delays run; defaults to `asyncScheduler`
 */
export function toKinesis<T extends SinkInput>(
  config: SinkConfig<T>,
  scheduler: SchedulerLike = asyncScheduler,
): KinesisSink<T> {
  return new KinesisSinkSubscriber(writeToKinesis(config, scheduler));
}

class KinesisSinkSubscriber<T extends SinkInput> extends Subscriber<T> implements KinesisSink<T> {
  readonly done: Promise<SinkSummary>;
  readonly paused$: Observable<boolean>;
  readonly summary: Readonly<SinkSummary>;
  private readonly input = new Subject<T>();
  private stop: () => void = () => undefined;

  constructor(writer: KinesisWriter<T>) {
    super();
    this.paused$ = writer.paused$;
    this.summary = writer.summary;
    this.done = new Promise<SinkSummary>((resolve, reject) => {
      const subscription = this.input.pipe(writer).subscribe({
        error: (error: unknown) => {
          reject(error);
          // a dead sink: stop the source it is subscribed to
          this.unsubscribe();
        },
        complete: () => {
          resolve(writer.summary);
          this.unsubscribe();
        },
      });
      this.stop = () => {
        subscription.unsubscribe();
        // the caller asked for it: whoever awaits `done` still sees the rejection, but nobody
        // awaiting it must not crash the process with an unhandled rejection
        this.done.catch(() => undefined);
        reject(new SinkAbortedError());
        this.unsubscribe();
      };
    });
  }

  abort(): void {
    this.stop();
  }

  protected override _next(value: T): void {
    this.input.next(value);
  }

  // Not Subscriber's defaults, which unsubscribe at once: the writer still has records to
  // flush after the source ends; it unsubscribes when it is done.
  protected override _error(error: unknown): void {
    this.input.error(error);
  }

  protected override _complete(): void {
    this.input.complete();
  }
}
