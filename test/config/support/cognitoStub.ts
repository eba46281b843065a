import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stub answered. */
export interface CognitoCall {
  readonly action: string;
  readonly params: Record<string, unknown>;
}

/** A tiny Cognito Identity on a free loopback port answering GetId / GetCredentialsForIdentity. */
export interface CognitoStub {
  readonly endpoint: string;
  readonly calls: CognitoCall[];
  stop(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the stub. GetId answers `<region>:identity-<n>`; GetCredentialsForIdentity hands out
 * keys whose access key id is `keyId` (a 12-digit kinesis-local account).
 */
export async function startCognitoStub(keyId = '710000000001'): Promise<CognitoStub> {
  const calls: CognitoCall[] = [];
  const server: Server = createServer((request, response) => {
    // a page calls it too: answer CORS as Cognito does
    response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': '*',
      });
      response.end();
      return;
    }
    void bodyOf(request).then((body) => {
      const action =
        String(request.headers['x-amz-target'] ?? '?')
          .split('.')
          .pop() ?? '?';
      const params = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
      calls.push({ action, params });
      const answer =
        action === 'GetId'
          ? { IdentityId: `us-east-1:identity-${calls.length}` }
          : {
              IdentityId: params['IdentityId'],
              Credentials: {
                AccessKeyId: keyId,
                SecretKey: `secret-${keyId}`,
                SessionToken: `token-${keyId}`,
                Expiration: 4_070_908_800,
              },
            };
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
