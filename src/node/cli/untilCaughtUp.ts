import {
  type MonoTypeOperatorFunction,
  Observable,
  type SchedulerLike,
  type Subscription,
  asyncScheduler,
  timer,
} from 'rxjs';
import type { FetchReport } from '../../source/ShardReader.js';

/**
 * Completes a record stream once the source has caught up: after some fetch
 * reported `millisBehindLatest` 0 and no record came for `quietMs`. With
 * `follow`, passes everything through and never completes by itself.
 * `reports` is fed by the source's `onFetch`.
 */
export function untilCaughtUp<T>(
  reports: Observable<FetchReport>,
  quietMs: number,
  follow: boolean,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    follow
      ? source
      : new Observable<T>((subscriber) => {
          let caughtUp = false;
          let quiet: Subscription | undefined;
          const arm = (): void => {
            quiet?.unsubscribe();
            if (!caughtUp) return;
            quiet = timer(quietMs, scheduler).subscribe(() => subscriber.complete());
          };
          const watch = reports.subscribe((report) => {
            if (report.millisBehindLatest === 0 && !caughtUp) {
              caughtUp = true;
              arm();
            }
          });
          const main = source.subscribe({
            next: (value) => {
              subscriber.next(value);
              arm();
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          });
          return () => {
            quiet?.unsubscribe();
            watch.unsubscribe();
            main.unsubscribe();
          };
        });
}
