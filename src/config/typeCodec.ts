import * as t from 'io-ts';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** io-ts's name for an object of `props`: `{ a: string, b: number }`. */
export const propsName = (props: t.Props): string =>
  `{ ${Object.keys(props)
    .map((k) => `${k}: ${(props[k] as t.Mixed).name}`)
    .join(', ')} }`;

/**
 * io-ts's `t.type(props)` as the same `InterfaceType` (same `is`, errors,
 * result, encoding), so a bundle does not pay for io-ts's own combinator
 * (io-ts's build does not tree-shake; see `unionCodec`).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { typeCodec } from 'rx-kinesis';
 * typeCodec({ id: t.string }).is({ id: 'a' }); // true
 * ```
 */
export function typeCodec<P extends t.Props>(props: P, name = propsName(props)): t.TypeC<P> {
  type A = { [K in keyof P]: t.TypeOf<P[K]> };
  type O = { [K in keyof P]: t.OutputOf<P[K]> };
  const keys = Object.keys(props);
  const codecs = keys.map((k) => props[k] as t.Mixed);
  return new t.InterfaceType<P, A, O, unknown>(
    name,
    (u): u is A => {
      if (!t.UnknownRecord.is(u)) return false;
      const o = u as Record<string, unknown>;
      return keys.every((k, i) => (o[k] !== undefined || has(o, k)) && codecs[i]?.is(o[k]));
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
        if (result._tag === 'Left') errors.push(...result.left);
        else if (result.right !== ak || (result.right === undefined && !has(a, k))) {
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
            const codec = codecs[i] as t.Mixed;
            if (codec.encode !== t.identity) s[k] = codec.encode(a[k]);
          });
          return s as O;
        },
    props,
  );
}
