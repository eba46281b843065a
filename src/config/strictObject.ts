import * as t from 'io-ts';
import { intersectionCodec } from './intersectionCodec.js';
import { partialCodec } from './partialCodec.js';
import { typeCodec } from './typeCodec.js';
import { suggestionFor } from './didYouMean.js';

/**
 * An object codec that, unlike `t.type`, rejects keys it does not know, with
 * a did-you-mean: a typo in a config (`profileNmae`) is an error, not a
 * silently ignored setting.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { decodeConfig, strictObject } from 'rx-kinesis';
 * decodeConfig(strictObject('a profile', { name: t.string }, {}), { nmae: 'x' }, 'creds');
 * // ConfigError: creds.name: expected string, got undefined
 * //              creds.nmae: expected no such key (did you mean "name"?), got "x"
 * ```
 */
export function strictObject<R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<
  t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>,
  t.OutputOf<t.TypeC<R>> & t.OutputOf<t.PartialC<O>>,
  unknown
> {
  const inner = intersectionCodec([typeCodec(required), partialCodec(optional)]);
  const known = [...Object.keys(required), ...Object.keys(optional)];
  const knownSet = new Set(known);
  return new t.Type(
    name,
    (u): u is t.TypeOf<typeof inner> => inner.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c);
      const errors: t.Errors = [];
      for (const key of Object.keys(u)) {
        if (knownSet.has(key)) continue;
        errors.push({
          value: (u as Record<string, unknown>)[key],
          context: [...c, { key, type: t.never, actual: (u as Record<string, unknown>)[key] }],
          message: `no such key${suggestionFor(key, known)}; known keys: ${known.join(', ')}`,
        });
      }
      const result = validateAs(inner, u, c);
      if (result._tag === 'Left') return t.failures([...result.left, ...errors]);
      if (errors.length > 0) return t.failures(errors);
      // strip nothing: every key is known, so the value is already exact
      return t.success(result.right);
    },
    (a) => inner.encode(a),
  );
}

/**
 * Validates `u` with `codec` as if `codec` were the type at the end of the
 * context: a codec delegating to another (an intersection, a union member)
 * then reports the same paths the delegate would on its own.
 */
export function validateAs<A>(
  codec: t.Type<A, unknown, unknown>,
  u: unknown,
  c: t.Context,
): t.Validation<A> {
  const last = c[c.length - 1];
  if (last === undefined) return codec.validate(u, c);
  return codec.validate(u, [...c.slice(0, -1), { ...last, type: codec }]);
}
