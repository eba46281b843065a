import type { KinesisClient } from '@aws-sdk/client-kinesis';

/**
 * The narrow port every operator talks to Kinesis through: one method,
 * `send(command, { abortSignal })`, exactly the shape of `KinesisClient.send`.
 * A real `KinesisClient` is one; so is `FakeKinesis` from `rx-kinesis/testing`.
 * Fakes answer with synchronous thenables so marble tests run in virtual time.
 */
export interface KinesisPort {
  send: KinesisClient['send'];
}
