import * as t from 'io-ts';

/**
 * io-ts's `t.union` as the same `UnionType` (same `is`, errors, encoding),
 * without its tagged-union index: every member is tried in turn, which is
 * what `t.union` does for every union of ours (none is tagged on all
 * members). io-ts's own build does not tree-shake, so each combinator a
 * bundle reaches costs its full code; `t.union` is 3 KiB of it.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { unionCodec } from 'rx-kinesis';
 * unionCodec([t.literal('a'), t.number]).is(1); // true
 * ```
 */
export function unionCodec<CS extends [t.Mixed, t.Mixed, ...t.Mixed[]]>(
  codecs: CS,
  name = `(${codecs.map((codec) => codec.name).join(' | ')})`,
): t.UnionC<CS> {
  type A = t.TypeOf<CS[number]>;
  type O = t.OutputOf<CS[number]>;
  const identityEncode = codecs.every((codec) => codec.encode === t.identity);
  return new t.UnionType<CS, A, O, unknown>(
    name,
    (u): u is A => codecs.some((codec) => codec.is(u)),
    (u, c) => {
      const errors: t.ValidationError[] = [];
      for (let i = 0; i < codecs.length; i++) {
        const codec = codecs[i] as t.Mixed;
        const result = codec.validate(u, t.appendContext(c, String(i), codec, u));
        if (result._tag === 'Right') return t.success(result.right as A);
        errors.push(...result.left);
      }
      return t.failures(errors);
    },
    identityEncode
      ? (t.identity as (a: A) => O)
      : (a) => {
          for (const codec of codecs) if (codec.is(a)) return codec.encode(a) as O;
          throw new Error(`no codec found to encode value in union type ${name}`);
        },
    codecs,
  );
}
