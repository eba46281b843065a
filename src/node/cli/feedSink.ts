import type { Observable, Observer, Subscription } from 'rxjs';
import type { ProgressLine } from './progressLine.js';

/** What the CLI writes into: a sink Observer with a `done` promise (`toKinesis`, a module's egress). */
export interface DoneObserver<T> extends Observer<T> {
  readonly done: Promise<unknown>;
}

/**
 * Feeds `values` into `sink`, counting each on the progress line; resolves
 * once the sink has everything acknowledged, rejects with the sink's or the
 * source's error. The CLI's put, copy and run all write this way.
 */
export async function feedSink<T>(
  values: Observable<T>,
  sink: DoneObserver<T>,
  progress: ProgressLine,
): Promise<void> {
  const subscription: Subscription = values.subscribe({
    next: (value) => {
      sink.next(value);
      progress.add(1);
    },
    error: (error: unknown) => sink.error(error),
    complete: () => sink.complete(),
  });
  try {
    await sink.done;
  } finally {
    subscription.unsubscribe();
  }
}
