import * as t from 'io-ts';
import { suggestionFor } from './didYouMean.js';
import { validateAs } from './strictObject.js';

/**
 * A union discriminated by a `type` field that reports errors like a person
 * would: an unknown `type` names the known ones (with a did-you-mean), a
 * known one reports only its own member's problems, and `rejected` kinds
 * (recognised but unusable, like Java's `SYS_PROP`) fail with their reason.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { taggedUnion } from 'rx-kinesis';
 * const Shape = taggedUnion('a shape', { circle: t.type({ type: t.literal('circle'), r: t.number }) });
 * ```
 */
export function taggedUnion<M extends Record<string, t.Mixed>>(
  name: string,
  members: M,
  rejected: Readonly<Record<string, string>> = {},
): t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> {
  const kinds = Object.keys(members);
  const typeContext = (c: t.Context, actual: unknown): t.Context => [
    ...c,
    { key: 'type', type: t.string, actual },
  ];
  return new t.Type(
    name,
    (u): u is t.TypeOf<M[keyof M]> => kinds.some((kind) => members[kind]?.is(u) === true),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) {
        return t.failure(u, c, `${name}: an object with "type" one of ${kinds.join(', ')}`);
      }
      const tag = (u as { type?: unknown }).type;
      if (typeof tag === 'string') {
        const member = Object.prototype.hasOwnProperty.call(members, tag)
          ? members[tag]
          : undefined;
        if (member !== undefined)
          return validateAs(member, u, c) as t.Validation<t.TypeOf<M[keyof M]>>;
        const reason = rejected[tag];
        if (reason !== undefined) return t.failure(tag, typeContext(c, tag), reason);
      }
      const hint = typeof tag === 'string' ? suggestionFor(tag, kinds) : '';
      return t.failure(tag, typeContext(c, tag), `one of ${kinds.join(', ')}${hint}`);
    },
    (a) => {
      const member = members[(a as { type: string }).type];
      return (member === undefined ? a : member.encode(a)) as t.OutputOf<M[keyof M]>;
    },
  );
}
