import * as t from 'io-ts';
import { propsName } from './typeCodec.js';

/**
 * io-ts's `t.partial(props)` as the same `PartialType` (same `is`, errors,
 * result, encoding), so a bundle does not pay for io-ts's own combinator
 * (io-ts's build does not tree-shake; see `unionCodec`).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { partialCodec } from 'rx-kinesis';
 * partialCodec({ id: t.string }).is({}); // true
 * ```
 */
export function partialCodec<P extends t.Props>(
  props: P,
  name = `Partial<${propsName(props)}>`,
): t.PartialC<P> {
  type A = { [K in keyof P]?: t.TypeOf<P[K]> };
  type O = { [K in keyof P]?: t.OutputOf<P[K]> };
  const keys = Object.keys(props);
  const codecs = keys.map((k) => props[k] as t.Mixed);
  return new t.PartialType<P, A, O, unknown>(
    name,
    (u): u is A => {
      if (!t.UnknownRecord.is(u)) return false;
      const o = u as Record<string, unknown>;
      return keys.every((k, i) => o[k] === undefined || codecs[i]?.is(o[k]) === true);
    },
    (u, c) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, c);
      const o = u as Record<string, unknown>;
      let a = o;
      const errors: t.ValidationError[] = [];
      keys.forEach((k, i) => {
        const codec = codecs[i] as t.Mixed;
        const ak = a[k];
        const result = codec.validate(ak, t.appendContext(c, k, codec, ak));
        if (result._tag === 'Left') {
          if (ak !== undefined) errors.push(...result.left);
        } else if (result.right !== ak) {
          if (a === o) a = { ...o };
          a[k] = result.right;
        }
      });
      return errors.length > 0 ? t.failures(errors) : t.success(a as A);
    },
    codecs.every((codec) => codec.encode === t.identity)
      ? (t.identity as (a: A) => O)
      : (a) => {
          const s: Record<string, unknown> = { ...a };
          keys.forEach((k, i) => {
            const ak = (a as Record<string, unknown>)[k];
            if (ak !== undefined) s[k] = (codecs[i] as t.Mixed).encode(ak);
          });
          return s as O;
        },
    props,
  );
}
