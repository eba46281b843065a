import { type Observable, type Observer, type SchedulerLike, Subject, asyncScheduler } from 'rxjs';
import type { SinkConfig } from './SinkConfig.js';
import type { SinkInput } from './SinkInput.js';
import { type SinkSummary, writeToKinesis } from './writeToKinesis.js';

/**
 * An Observer that writes to Kinesis: pass it to `subscribe`. `done`
 * resolves with the summary once everything sent before `complete` is
 * acknowledged, and rejects on a fatal error (an invalid record, entries
 * still failing after the retries, a missing stream, or an error of the
 * source). `paused$` is true while the sink is full (give it to
 * `fromKinesis({ paused })`). `abort()` stops at once: in-flight requests are
 * aborted and `done` rejects.
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
  const writer = writeToKinesis(config, scheduler);
  const input = new Subject<T>();
  let abort: () => void = () => undefined;
  const done = new Promise<SinkSummary>((resolve, reject) => {
    const subscription = input.pipe(writer).subscribe({
      error: reject,
      complete: () => resolve(writer.summary),
    });
    abort = () => {
      subscription.unsubscribe();
      // the caller asked for it: whoever awaits `done` still sees the rejection, but nobody
      // awaiting it must not crash the process with an unhandled rejection
      done.catch(() => undefined);
      reject(new SinkAbortedError());
    };
  });
  return {
    next: (value) => input.next(value),
    error: (error: unknown) => input.error(error),
    complete: () => input.complete(),
    done,
    paused$: writer.paused$,
    summary: writer.summary,
    abort: () => abort(),
  };
}
