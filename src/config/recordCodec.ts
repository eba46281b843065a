import * as t from 'io-ts';

/**
 * io-ts's `t.record(t.string, codomain)` as the same `DictionaryType` (same
 * `is`, errors, result), without the machinery for other key domains that
 * `t.record` carries (4 KiB of a bundle; io-ts's own build does not
 * tree-shake).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { recordCodec } from 'rx-kinesis';
 * recordCodec(t.number).is({ a: 1 }); // true
 * ```
 */
export function recordCodec<C extends t.Mixed>(
  codomain: C,
  name = `{ [K in string]: ${codomain.name} }`,
): t.RecordC<t.StringC, C> {
  type A = { [K in string]: t.TypeOf<C> };
  type O = { [K in string]: t.OutputOf<C> };
  return new t.DictionaryType<t.StringC, C, A, O, unknown>(
    name,
    (u): u is A =>
      t.UnknownRecord.is(u) &&
      Object.keys(u).every((k) => codomain.is((u as Record<string, unknown>)[k])),
    (u, c) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, c);
      const record = u as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      const errors: t.ValidationError[] = [];
      let changed = false;
      for (const k of Object.keys(record)) {
        const value = record[k];
        const decoded = codomain.validate(value, t.appendContext(c, k, codomain, value));
        if (decoded._tag === 'Left') errors.push(...decoded.left);
        else {
          changed = changed || decoded.right !== value;
          result[k] = decoded.right;
        }
      }
      if (errors.length > 0) return t.failures(errors);
      return t.success((changed ? result : record) as A);
    },
    codomain.encode === t.identity
      ? (t.identity as (a: A) => O)
      : (a) => {
          const out: Record<string, unknown> = {};
          for (const k of Object.keys(a)) out[k] = codomain.encode(a[k]);
          return out as O;
        },
    t.string,
    codomain,
  );
}
