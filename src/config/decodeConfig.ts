import type * as t from 'io-ts';
import { ConfigError } from '../client/errors.js';

/**
 * `root.a.b[0]`-style text of a path; a key that would not read as one
 * segment (empty, with a dot, a bracket, a quote or a space) is written as
 * `["a.b"]`, so `{ "": 1 }` reads `source[""]`, not `source.`.
 */
export function configPath(root: string, keys: readonly string[]): string {
  let text = root;
  for (const key of keys) {
    if (/^[^\s.[\]"'`]+$/u.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

/** io-ts `Errors` as problems with the config path as keys, innermost first, one per path. */
export function describeErrorKeys(
  errors: t.Errors,
): Array<{ keys: string[]; value: unknown; expected: string }> {
  const byPath = new Map<string, { keys: string[]; value: unknown; expected: string }>();
  for (const error of errors) {
    const keys: string[] = [];
    error.context.forEach((entry, index) => {
      if (index === 0) return;
      const parent = error.context[index - 1]?.type as { _tag?: string } | undefined;
      // a union or intersection member's index is not part of the config path
      if (parent?._tag === 'UnionType' || parent?._tag === 'IntersectionType') return;
      keys.push(entry.key);
    });
    const path = JSON.stringify(keys);
    const last = error.context[error.context.length - 1];
    const expected = error.message ?? last?.type.name ?? 'a valid value';
    const previous = byPath.get(path);
    if (previous === undefined) byPath.set(path, { keys, value: error.value, expected });
    else if (!previous.expected.includes(expected)) previous.expected += ` or ${expected}`;
  }
  return [...byPath.values()];
}

/** Turns io-ts `Errors` into path/value/expected problems, innermost first, one per path. */
export function describeErrors(
  errors: t.Errors,
  root: string,
): Array<{ path: string; value: unknown; expected: string }> {
  return describeErrorKeys(errors).map(({ keys, value, expected }) => ({
    path: configPath(root, keys),
    value,
    expected,
  }));
}

/**
 * Decodes `value` with `codec` or throws one `ConfigError` naming every bad
 * path, the value found there and what was expected.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { decodeConfig } from 'rx-kinesis';
 * decodeConfig(t.type({ stream: t.string }), { stream: 1 }, 'source');
 * // throws ConfigError: source.stream: expected string, got 1
 * ```
 */
export function decodeConfig<A, O>(codec: t.Type<A, O, unknown>, value: unknown, root: string): A {
  const result = codec.decode(value);
  if (result._tag === 'Left') throw new ConfigError(describeErrors(result.left, root));
  return result.right;
}
