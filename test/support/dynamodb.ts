import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDBClient } from '../../src/dynamodb/createDynamoDBClient.js';
import { freePort } from '../../src/node/freePort.js';

const require = createRequire(import.meta.url);

/** A running DynamoDB-API server for tests. */
export interface DynamoDBServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** dynalite in-process on a free loopback port (~60 ms). No Streams, no transactions. */
export async function startDynalite(): Promise<DynamoDBServer> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * AWS's DynamoDB Local (Java 17, the jar inside `amplify-dynamodb-simulator`),
 * in memory, on a free port; ready when the port answers. Killed with SIGKILL.
 */
export async function startDynamoDBLocal(): Promise<DynamoDBServer> {
  const jarDir = join(
    dirname(require.resolve('amplify-dynamodb-simulator/package.json')),
    'emulator',
  );
  const port = await freePort();
  const child = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-port',
      String(port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${stderr.slice(-500)}`);
    }
    if (await portAnswers(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not answer on port ${port} within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface DynamoDBEmulator {
  readonly endpoint: string;
  /** A client for it (dummy credentials, no SDK retries); destroyed after the file. */
  client(): DynamoDBClient;
}

function useServer(start: () => Promise<DynamoDBServer>): DynamoDBEmulator {
  let server: DynamoDBServer | undefined;
  const clients: DynamoDBClient[] = [];
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });
  const endpoint = (): string => {
    if (server === undefined)
      throw new Error('the DynamoDB server is not started (use inside a test)');
    return server.endpoint;
  };
  return {
    get endpoint() {
      return endpoint();
    },
    client() {
      const c = createDynamoDBClient({
        region: 'us-east-1',
        endpoint: endpoint(),
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }) as DynamoDBClient;
      clients.push(c);
      return c;
    },
  };
}

/** dynalite for this test file. */
export const useDynalite = (): DynamoDBEmulator => useServer(startDynalite);
/** DynamoDB Local for this test file (~2-5 s to start). */
export const useDynamoDBLocal = (): DynamoDBEmulator => useServer(startDynamoDBLocal);
