import * as t from 'io-ts';

/** How io-ts merges the results of an intersection's members (its internal `mergeAll`). */
function mergeAll(base: unknown, us: readonly unknown[]): unknown {
  if (us.every((u) => u === base)) return base;
  if (!us.some((u) => t.UnknownRecord.is(u))) return us[us.length - 1];
  const baseIsNotADictionary = !t.UnknownRecord.is(base);
  const r: Record<string, unknown> = {};
  for (const u of us) {
    const o = u as Record<string, unknown>;
    for (const k in o) {
      if (
        !Object.prototype.hasOwnProperty.call(r, k) ||
        baseIsNotADictionary ||
        o[k] !== (base as Record<string, unknown>)[k]
      ) {
        r[k] = o[k];
      }
    }
  }
  return r;
}

/**
 * io-ts's `t.intersection(codecs)` as the same `IntersectionType` (same
 * `is`, errors, merged result, encoding), so a bundle does not pay for
 * io-ts's own combinator (io-ts's build does not tree-shake; see
 * `unionCodec`).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { intersectionCodec, partialCodec, typeCodec } from 'rx-kinesis';
 * intersectionCodec([typeCodec({ id: t.string }), partialCodec({ n: t.number })]).is({ id: 'a' }); // true
 * ```
 */
export function intersectionCodec<A extends t.Mixed, B extends t.Mixed>(
  codecs: [A, B],
  name = `(${codecs.map((codec) => codec.name).join(' & ')})`,
): t.IntersectionC<[A, B]> {
  type TA = t.TypeOf<A> & t.TypeOf<B>;
  type TO = t.OutputOf<A> & t.OutputOf<B>;
  return new t.IntersectionType<[A, B], TA, TO, unknown>(
    name,
    (u): u is TA => codecs.every((codec) => codec.is(u)),
    (u, c) => {
      const us: unknown[] = [];
      const errors: t.ValidationError[] = [];
      codecs.forEach((codec: t.Mixed, i) => {
        const result = codec.validate(u, t.appendContext(c, String(i), codec, u));
        if (result._tag === 'Left') errors.push(...result.left);
        else us.push(result.right);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(mergeAll(u, us) as TA);
    },
    (a) =>
      mergeAll(
        a,
        codecs.map((codec: t.Mixed) => codec.encode(a)),
      ) as TO,
    codecs,
  );
}
