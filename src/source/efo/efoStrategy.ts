import * as t from 'io-ts';
import { throwError } from 'rxjs';
import type { ReaderStrategy } from '../ShardReader.js';

/**
 * Enhanced fan-out settings (Flink's `scan.stream.efo.*`). STUB: owned by the
 * event-time/EFO work; the codec's shape may grow, `fromKinesis` embeds it as `efo`.
 */
export const EfoConfig = t.partial({
  consumerName: t.string,
  registration: t.union([t.literal('LAZY'), t.literal('EAGER'), t.literal('NONE')]),
  /** Consumer ARNs per stream, for registration NONE. */
  consumerArns: t.record(t.string, t.string),
});
export type EfoConfig = t.TypeOf<typeof EfoConfig>;

/** The enhanced fan-out reader strategy (STUB until implemented). */
export function efoStrategy(_config: EfoConfig): ReaderStrategy {
  return {
    use: () => throwError(() => new Error('enhanced fan-out is not implemented yet')),
  };
}
