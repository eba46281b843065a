import * as t from 'io-ts';

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** A DynamoDB table name: 3-255 characters of a-z, A-Z, 0-9, `_`, `.`, `-`. */
export const TableName = new t.Type<string, string, unknown>(
  'a DynamoDB table name (3-255 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && TABLE_NAME.test(u),
  (u, c) => (typeof u === 'string' && TABLE_NAME.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
