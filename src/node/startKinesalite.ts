import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { resolveOptional } from './resolveOptional.js';

/** A running in-process kinesalite server. */
export interface Kinesalite {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface KinesaliteOptions {
  /** Default 100 (kinesalite's own default is 10). */
  readonly shardLimit?: number;
}

/**
 * Starts kinesalite in this process on a free loopback port, with instant
 * stream operations.
 *
 * ## Example
 * ```ts
 * import { startKinesalite } from 'rx-kinesis/node';
 * const server = await startKinesalite();
 * await server.stop();
 * ```
 */
export async function startKinesalite(options: KinesaliteOptions = {}): Promise<Kinesalite> {
  const require = createRequire(import.meta.url);
  const kinesalite = require(resolveOptional('kinesalite', 'startKinesalite')) as (
    options: object,
  ) => Server;
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: options.shardLimit ?? 100,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
