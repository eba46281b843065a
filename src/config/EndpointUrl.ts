import * as t from 'io-ts';

/** An `http://` or `https://` URL. */
export const EndpointUrl = new t.Type<string, string, unknown>(
  'an http:// or https:// URL',
  (u): u is string => typeof u === 'string' && /^https?:\/\/[^\s/]+/.test(u),
  (u, c) =>
    typeof u === 'string' && /^https?:\/\/[^\s/]+/.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);
