import * as t from 'io-ts';
import { ClientCredentials, HttpProtocol } from '../config/ClientConfig.js';
import { EndpointUrl } from '../config/EndpointUrl.js';
import { NonEmptyString } from '../config/NonEmptyString.js';
import type { DynamoDBPort } from './DynamoDBPort.js';

const isPort = (u: unknown): u is DynamoDBPort =>
  typeof u === 'object' && u !== null && typeof (u as { send?: unknown }).send === 'function';
/** A ready client: anything with `send(command, options)`, e.g. a `DynamoDBClient`. */
export const DynamoDBPortCodec = new t.Type<DynamoDBPort, DynamoDBPort, unknown>(
  'a DynamoDBClient (an object with a send method)',
  isPort,
  (u, c) => (isPort(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * How to reach DynamoDB (checkpoint stores, lease tables): the same settings
 * as the Kinesis client (`region`, `endpoint`, `credentials`, or a ready `client`).
 */
export const DynamoDBSettings = t.partial({
  region: NonEmptyString,
  endpoint: EndpointUrl,
  credentials: ClientCredentials,
  client: DynamoDBPortCodec,
  httpProtocol: HttpProtocol,
  trustAllCertificates: t.boolean,
});
export type DynamoDBSettings = t.TypeOf<typeof DynamoDBSettings>;
