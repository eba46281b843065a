import fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { intersectionCodec } from '../../src/config/intersectionCodec.js';
import { partialCodec } from '../../src/config/partialCodec.js';
import { recordCodec } from '../../src/config/recordCodec.js';
import { typeCodec } from '../../src/config/typeCodec.js';
import { unionCodec } from '../../src/config/unionCodec.js';
import { fuzzParameters } from '../fuzz/fuzzParameters.js';

// Our light combinators stand in for io-ts's own in every config codec, so a
// browser bundle does not carry io-ts's tagged-union and record machinery.
// They must be the same codecs: same class, name, `is`, decoded value, errors
// (path and expected name at each step) and encoding, checked against io-ts
// on generated values, with transforming members (NumberFromString) so the
// copy-on-change paths are exercised too.

const NumberFromString = new t.Type<number, string, unknown>(
  'NumberFromString',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    const n = Number(u);
    return u.trim() === '' || Number.isNaN(n) ? t.failure(u, c) : t.success(n);
  },
  String,
);

function view(result: t.Validation<unknown>): unknown {
  if (result._tag === 'Right') return { right: result.right };
  return {
    left: result.left.map((error) => ({
      value: error.value,
      message: error.message,
      context: error.context.map(({ key, type, actual }) => ({ key, name: type.name, actual })),
    })),
  };
}

const pairs: Array<[string, t.Mixed, t.Mixed]> = [
  [
    'union of literals',
    t.union([t.literal('a'), t.literal('b')]),
    unionCodec([t.literal('a'), t.literal('b')]),
  ],
  [
    'union with a transforming member',
    t.union([t.literal('x'), NumberFromString, t.type({ n: NumberFromString })]),
    unionCodec([t.literal('x'), NumberFromString, typeCodec({ n: NumberFromString })]),
  ],
  ['record', t.record(t.string, t.number), recordCodec(t.number)],
  ['record transforming', t.record(t.string, NumberFromString), recordCodec(NumberFromString)],
  [
    'type',
    t.type({ a: t.string, b: NumberFromString, u: t.union([t.undefined, t.number]) }),
    typeCodec({ a: t.string, b: NumberFromString, u: unionCodec([t.undefined, t.number]) }),
  ],
  [
    'partial',
    t.partial({ a: t.string, b: NumberFromString }),
    partialCodec({ a: t.string, b: NumberFromString }),
  ],
  [
    'intersection',
    t.intersection([t.type({ a: t.string }), t.partial({ b: NumberFromString, c: t.boolean })]),
    intersectionCodec([
      typeCodec({ a: t.string }),
      partialCodec({ b: NumberFromString, c: t.boolean }),
    ]),
  ],
  ['empty type', t.type({}), typeCodec({})],
];

const values = fc.oneof(
  fc.anything(),
  fc.record(
    {
      a: fc.oneof(fc.string(), fc.integer(), fc.constant('a'), fc.constant('b')),
      b: fc.oneof(fc.string(), fc.constant('12'), fc.integer(), fc.constant(undefined)),
      c: fc.oneof(fc.boolean(), fc.string()),
      n: fc.oneof(fc.constant('7'), fc.integer(), fc.constant('x')),
      u: fc.oneof(fc.constant(undefined), fc.integer(), fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.constant('5'), fc.string())),
  fc.constantFrom('a', 'b', 'x', '3', 3),
);

describe('light io-ts combinators are io-ts combinators', () => {
  for (const [label, theirs, ours] of pairs) {
    it(`${label}: same class, name, is, decode and encode as io-ts`, () => {
      expect(Object.getPrototypeOf(ours)).toBe(Object.getPrototypeOf(theirs));
      expect(ours.name).toBe(theirs.name);
      fc.assert(
        fc.property(values, (u) => {
          expect(ours.is(u)).toBe(theirs.is(u));
          const decoded = theirs.decode(u);
          expect(view(ours.decode(u))).toEqual(view(decoded));
          if (decoded._tag === 'Right')
            expect(ours.encode(decoded.right)).toEqual(theirs.encode(decoded.right));
        }),
        fuzzParameters(11, 300),
      );
    });
  }

  it('union: every member tried, errors of each kept, the first that decodes wins', () => {
    const codec = unionCodec([t.literal('a'), NumberFromString]);
    expect(codec.decode('4')).toEqual({ _tag: 'Right', right: 4 });
    const result = codec.decode(true);
    expect(result._tag === 'Left' && result.left.map((e) => e.context[1]?.key)).toEqual(['0', '1']);
  });
});
