import { type Observable, tap } from 'rxjs';
import type { KinesisSink } from '../../sink/toKinesis.js';
import type { ProgressLine } from './progressLine.js';

/**
 * Feeds `values` into `sink`, counting each on the progress line; resolves
 * once the sink has everything acknowledged, rejects with the sink's or the
 * source's error. The sink is subscribed to `values` directly, so a failed,
 * aborted (`signal`, e.g. Ctrl-C) or finished sink stops reading `values` at
 * once. The CLI's put, copy and run all write this way.
 */
export async function feedSink<T>(
  values: Observable<T>,
  sink: KinesisSink<T>,
  progress: ProgressLine,
  signal?: AbortSignal,
): Promise<void> {
  const abort = (): void => sink.abort();
  if (signal?.aborted === true) sink.abort();
  else signal?.addEventListener('abort', abort, { once: true });
  try {
    values.pipe(tap(() => progress.add(1))).subscribe(sink);
    await sink.done;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
