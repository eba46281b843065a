import type { Observable } from 'rxjs';
import type { KinesisSink } from '../../sink/toKinesis.js';
import type { ProgressLine } from './progressLine.js';

/**
 * Feeds `values` into `sink`; resolves once the sink has everything
 * acknowledged, rejects with the sink's or the source's error. The progress
 * line counts records Kinesis has stored (acknowledged), not records handed
 * to the sink. The sink is subscribed to `values` directly, so a failed,
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
  const stored = (): void => progress.add(sink.summary.records - progress.count);
  const ticker = setInterval(stored, 200);
  try {
    values.subscribe(sink);
    await sink.done;
  } finally {
    clearInterval(ticker);
    stored();
    signal?.removeEventListener('abort', abort);
  }
}
