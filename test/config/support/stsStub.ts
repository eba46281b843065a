import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stub answered. */
export interface StsCall {
  readonly action: string;
  readonly params: Record<string, string>;
  /** The access key id that signed the request (from the Authorization header), if signed. */
  readonly signedBy?: string;
}

/** A tiny STS on a free loopback port answering AssumeRole / AssumeRoleWithWebIdentity. */
export interface StsStub {
  readonly endpoint: string;
  readonly calls: StsCall[];
  stop(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the stub. Each answer hands out fresh keys: the access key id is a
 * 12-digit number (a kinesis-local account) derived from `firstKeyId` and the
 * call count, so a nested chain can be traced through `signedBy`.
 */
export async function startStsStub(firstKeyId = 700_000_000_000): Promise<StsStub> {
  const calls: StsCall[] = [];
  const server: Server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params['Action'] ?? '?';
      const signedBy = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1];
      calls.push({ action, params, ...(signedBy !== undefined ? { signedBy } : {}) });
      const keyId = String(firstKeyId + calls.length);
      const credentials =
        `<Credentials><AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>secret-${keyId}</SecretAccessKey>` +
        `<SessionToken>token-${keyId}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>`;
      const user =
        action === 'AssumeRoleWithWebIdentity'
          ? `<SubjectFromWebIdentityToken>subject</SubjectFromWebIdentityToken>`
          : '';
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>` +
          `${credentials}${user}<AssumedRoleUser><Arn>${params['RoleArn'] ?? ''}/session</Arn>` +
          `<AssumedRoleId>AROA:${keyId}</AssumedRoleId></AssumedRoleUser></${action}Result>` +
          `<ResponseMetadata><RequestId>req-${calls.length}</RequestId></ResponseMetadata></${action}Response>`,
      );
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
