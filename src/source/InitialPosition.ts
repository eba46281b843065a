import * as t from 'io-ts';
import { intersectionCodec } from '../config/intersectionCodec.js';
import { partialCodec } from '../config/partialCodec.js';
import { typeCodec } from '../config/typeCodec.js';
import { unionCodec } from '../config/unionCodec.js';
import { parseTimestamp } from './parseTimestamp.js';

/** Flink's default `scan.stream.initpos-timestamp-format` (Java SimpleDateFormat letters, read by `parseTimestamp`). */
export const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

const DateValue = new t.Type<Date, Date, unknown>(
  'a valid Date',
  (u): u is Date => u instanceof Date && !isNaN(u.getTime()),
  (u, c) => (u instanceof Date && !isNaN(u.getTime()) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const Seconds = new t.Type<number, number, unknown>(
  'a non-negative number of seconds since the epoch',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u) && u >= 0 ? t.success(u) : t.failure(u, c),
  t.identity,
);

/**
 * Where to start a stream the checkpoint does not know:
 * `'LATEST'` (default), `'TRIM_HORIZON'`, or `AT_TIMESTAMP` with a `Date`,
 * a number of seconds since the epoch (as Flink), or a string parsed with
 * `format` (default `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`).
 */
export const InitialPosition = unionCodec([
  t.literal('LATEST'),
  t.literal('TRIM_HORIZON'),
  intersectionCodec([
    typeCodec({
      type: t.literal('AT_TIMESTAMP'),
      timestamp: unionCodec([DateValue, Seconds, t.string]),
    }),
    partialCodec({ format: t.string }),
  ]),
]);
export type InitialPosition = t.TypeOf<typeof InitialPosition>;

/** An initial position with its timestamp turned into a `Date`. */
export type ResolvedInitialPosition =
  | { readonly type: 'LATEST' }
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };

/**
 * Resolves the timestamp of an initial position; `undefined` with the reason
 * when a string does not match its format.
 *
 * ## Example
 * ```ts
 * import { resolveInitialPosition } from 'rx-kinesis';
 * resolveInitialPosition({ type: 'AT_TIMESTAMP', timestamp: 1459799926.48 });
 * // { type: 'AT_TIMESTAMP', timestamp: 2016-04-04T19:58:46.480Z }
 * ```
 */
export function resolveInitialPosition(
  position: InitialPosition,
): ResolvedInitialPosition | string {
  if (position === 'LATEST' || position === 'TRIM_HORIZON') return { type: position };
  const { timestamp } = position;
  if (timestamp instanceof Date) return { type: 'AT_TIMESTAMP', timestamp };
  if (typeof timestamp === 'number')
    return { type: 'AT_TIMESTAMP', timestamp: new Date(Math.round(timestamp * 1000)) };
  const format = position.format ?? DEFAULT_TIMESTAMP_FORMAT;
  const parsed = parseTimestamp(timestamp, format);
  if (typeof parsed === 'string') {
    if (position.format === undefined && /^\d+(\.\d+)?$/.test(timestamp)) {
      return { type: 'AT_TIMESTAMP', timestamp: new Date(Math.round(Number(timestamp) * 1000)) };
    }
    return `a timestamp in the format "${format}" (or seconds since the epoch): ${parsed}`;
  }
  return { type: 'AT_TIMESTAMP', timestamp: parsed };
}
