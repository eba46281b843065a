import * as t from 'io-ts';
import { suggestionFor } from '../../config/didYouMean.js';

/**
 * A codec from an option's text (a Flink / KPL property value) to its typed
 * value. `name` is what a table says the type is and what an error says was
 * expected.
 */
export type OptionText<A = unknown> = t.Type<A, string, unknown>;

const text = <A>(
  name: string,
  parse: (s: string) => { ok: true; value: A } | { ok: false; expected?: string },
  show: (a: A) => string = String,
): OptionText<A> =>
  new t.Type<A, string, unknown>(
    name,
    (u): u is A => u !== undefined,
    (u, c) => {
      if (typeof u !== 'string')
        return t.failure(u, c, `${name} as a string (option values are text)`);
      const parsed = parse(u);
      return parsed.ok ? t.success(parsed.value) : t.failure(u, c, parsed.expected ?? name);
    },
    show,
  );

const range = (min?: number, max?: number): string =>
  min !== undefined && max !== undefined
    ? ` between ${min} and ${max}`
    : min !== undefined
      ? ` ≥ ${min}`
      : max !== undefined
        ? ` ≤ ${max}`
        : '';

const inRange = (n: number, min?: number, max?: number): boolean =>
  (min === undefined || n >= min) && (max === undefined || n <= max);

/**
 * Any text (`nonEmpty`: blank text is refused).
 *
 * ## Example
 * ```ts
 * import { stringText } from 'rx-kinesis';
 * stringText(true).decode(' ')._tag; // 'Left'
 * ```
 */
export const stringText = (nonEmpty = false): OptionText<string> =>
  text<string>(nonEmpty ? 'a non-empty String' : 'a String', (s) =>
    nonEmpty && s.trim() === '' ? { ok: false } : { ok: true, value: s },
  );

/**
 * A whole number as Java reads it (`Integer`: 32-bit, `Long`: up to 2^53
 * here), optionally within `min`..`max`.
 *
 * ## Example
 * ```ts
 * import { integerText } from 'rx-kinesis';
 * integerText('Long', 1, 500).decode('501'); // Left: "a Long between 1 and 500 (out of range)"
 * ```
 */
export const integerText = (
  kind: 'Integer' | 'Long',
  min?: number,
  max?: number,
): OptionText<number> => {
  const name = `${kind === 'Integer' ? 'an Integer' : 'a Long'}${range(min, max)}`;
  return text<number>(name, (s) => {
    const trimmed = s.trim();
    const n = Number(trimmed);
    if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(n)) return { ok: false };
    if (kind === 'Integer' && (n < -(2 ** 31) || n >= 2 ** 31)) return { ok: false };
    return inRange(n, min, max)
      ? { ok: true, value: n }
      : { ok: false, expected: `${name} (out of range)` };
  });
};

/**
 * A decimal number, optionally within `min`..`max`.
 *
 * ## Example
 * ```ts
 * import { doubleText } from 'rx-kinesis';
 * doubleText(1).decode('1.5'); // Right(1.5)
 * ```
 */
export const doubleText = (min?: number, max?: number): OptionText<number> => {
  const name = `a Double${range(min, max)}`;
  return text<number>(name, (s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n)) return { ok: false };
    return inRange(n, min, max)
      ? { ok: true, value: n }
      : { ok: false, expected: `${name} (out of range)` };
  });
};

/**
 * `true` or `false`, in any case.
 *
 * ## Example
 * ```ts
 * import { booleanText } from 'rx-kinesis';
 * booleanText.decode('TRUE'); // Right(true)
 * ```
 */
export const booleanText: OptionText<boolean> = text<boolean>('a Boolean (true or false)', (s) => {
  const lower = s.trim().toLowerCase();
  return lower === 'true' || lower === 'false'
    ? { ok: true, value: lower === 'true' }
    : { ok: false };
});

/**
 * One of `values` in any case (as Flink's enum options), decoded to
 * `to[value]` when given (`HTTP1_1` → `http1`), else to the value as listed.
 *
 * ## Example
 * ```ts
 * import { choiceText } from 'rx-kinesis';
 * choiceText(['POLLING', 'EFO']).decode('efo'); // Right('EFO')
 * ```
 */
export const choiceText = <V extends string, A = V>(
  values: readonly V[],
  to?: Readonly<Record<V, A>>,
): OptionText<A> => {
  const name = `one of ${values.join(', ')}`;
  return text<A>(name, (s) => {
    const match = values.find((v) => v.toLowerCase() === s.trim().toLowerCase());
    if (match === undefined) return { ok: false, expected: `${name}${suggestionFor(s, values)}` };
    return { ok: true, value: (to === undefined ? match : to[match]) as A };
  });
};

const DURATION_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(ns|nanos?|nanoseconds?)$/, 1e-6],
  [/^(µs|us|micros?|microseconds?)$/, 1e-3],
  [/^(|ms|millis?|milliseconds?)$/, 1],
  [/^(s|sec|secs|seconds?)$/, 1000],
  [/^(m|min|mins|minutes?)$/, 60_000],
  [/^(h|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
];

/**
 * A Flink `Duration` option (`10 s`, `250ms`, `1 min`; a bare number is
 * milliseconds, as Flink's `TimeUtils.parseDuration`), decoded to whole
 * milliseconds, optionally at least `minMs`.
 *
 * ## Example
 * ```ts
 * import { durationText } from 'rx-kinesis';
 * durationText().decode('10 s'); // Right(10000)
 * ```
 */
export const durationText = (minMs?: number): OptionText<number> => {
  const name = `a Duration (e.g. 10 s, 250 ms, 1 min)${minMs === undefined ? '' : ` of at least ${minMs} ms`}`;
  return text<number>(
    name,
    (s) => {
      const match = /^\s*(\d+)\s*([a-zµ]*)\s*$/i.exec(s);
      const unit = DURATION_UNITS.find(([re]) => re.test((match?.[2] ?? '').toLowerCase()));
      if (match === null || unit === undefined) return { ok: false };
      const ms = Math.floor(Number(match[1]) * unit[1]);
      if (!Number.isSafeInteger(ms)) return { ok: false };
      return minMs === undefined || ms >= minMs
        ? { ok: true, value: ms }
        : { ok: false, expected: `${name} (out of range)` };
    },
    (ms) => `${ms} ms`,
  );
};

/**
 * A comma-separated list of non-empty items (Flink's `List<String>` constructor arguments).
 *
 * ## Example
 * ```ts
 * import { listText } from 'rx-kinesis';
 * listText.decode('a, b'); // Right(['a', 'b'])
 * ```
 */
export const listText: OptionText<string[]> = text<string[]>(
  'a comma-separated list of names',
  (s) => {
    const items = s.split(',').map((item) => item.trim());
    return items.some((item) => item === '') ? { ok: false } : { ok: true, value: items };
  },
  (items) => items.join(','),
);
