import { afterAll, beforeAll } from 'vitest';
import {
  type KinesisClient,
  CreateStreamCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import { type KinesisLocal, startKinesisLocal } from '../../src/node/startKinesisLocal.js';
import { type Kinesalite, startKinesalite } from '../../src/node/startKinesalite.js';

let accountCounter = 100_000_000_000 + Math.floor(Math.random() * 1_000_000);

/** Static credentials whose 12-digit key id is its own kinesis-local account (isolates tests). */
export function freshCredentials(): { accessKeyId: string; secretAccessKey: string } {
  accountCounter += 1;
  return { accessKeyId: String(accountCounter), secretAccessKey: 'secret' };
}

export interface Emulator {
  endpoint: string;
  /** A new client with its own account (own streams on kinesis-local). */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): KinesisClient;
  /** Creates a stream and waits until it is ACTIVE. */
  createStream(client: KinesisClient, name: string, shards: number): Promise<void>;
}

function emulatorFor(endpoint: () => string, clients: KinesisClient[]): Emulator {
  return {
    get endpoint() {
      return endpoint();
    },
    client(credentials = freshCredentials()) {
      const c = createKinesisClient({
        region: 'us-east-1',
        endpoint: endpoint(),
        credentials,
      }) as KinesisClient;
      clients.push(c);
      return c;
    },
    async createStream(client, name, shards) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    },
  };
}

/** Starts kinesis-local on free ports for this test file; kills it after. */
export function useKinesisLocal(
  env?: Record<string, string>,
): Emulator & { server(): KinesisLocal } {
  let server: KinesisLocal | undefined;
  const clients: KinesisClient[] = [];
  beforeAll(async () => {
    server = await startKinesisLocal(env === undefined ? {} : { env });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });
  const endpoint = (): string => {
    if (server === undefined) throw new Error('kinesis-local is not started (use inside a test)');
    return server.endpoint;
  };
  return Object.assign(emulatorFor(endpoint, clients), {
    server: () => {
      if (server === undefined) throw new Error('kinesis-local is not started');
      return server;
    },
  });
}

/** Starts kinesalite in-process on a free port for this test file; stops it after. */
export function useKinesalite(): Emulator {
  let server: Kinesalite | undefined;
  const clients: KinesisClient[] = [];
  beforeAll(async () => {
    server = await startKinesalite();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });
  return emulatorFor(() => {
    if (server === undefined) throw new Error('kinesalite is not started');
    return server.endpoint;
  }, clients);
}
