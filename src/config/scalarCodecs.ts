import * as t from 'io-ts';

/** A codec from a predicate, with `name` as what an error says was expected. */
export function refinedCodec<A>(name: string, ok: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    name,
    ok,
    (u, c) => (ok(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
}

/**
 * A whole number from `min` to `max`, with a readable expectation.
 *
 * ## Example
 * ```ts
 * import { integerIn } from 'rx-kinesis';
 * integerIn('a whole number from 1 to 10000', 1, 10_000).is(500); // true
 * ```
 */
export const integerIn = (
  name: string,
  min: number,
  max: number,
): t.Type<number, number, unknown> =>
  refinedCodec(
    name,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
  );

/** A finite number ≥ `min`. */
export const numberAtLeast = (name: string, min: number): t.Type<number, number, unknown> =>
  refinedCodec(name, (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= min);

/** Any function, typed as `F` (io-ts cannot check a signature; the name says which one is meant). */
export const functionCodec = <F>(name: string): t.Type<F, F, unknown> =>
  refinedCodec(name, (u): u is F => typeof u === 'function');
