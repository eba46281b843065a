import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';

/**
 * A full `KinesisClient`: the module the fetch client loads with a dynamic
 * `import()` for the commands it does not speak. A module of its own, so a
 * bundler splits out just the client (importing the SDK package itself
 * dynamically would pull all of it into the page's first chunk).
 */
export function newKinesisClient(settings: KinesisClientConfig): KinesisClient {
  return new KinesisClient(settings);
}
