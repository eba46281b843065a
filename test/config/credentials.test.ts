import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import { ConfigError } from '../../src/client/errors.js';
import { ClientConfig } from '../../src/config/ClientConfig.js';
import { CredentialsConfig } from '../../src/config/CredentialsConfig.js';
import { credentialProviderFor as browserCredentialProviderFor } from '../../src/config/browserCredentialProvider.js';
import { decodeConfig } from '../../src/config/decodeConfig.js';
import { credentialProviderFor } from '../../src/node/credentialProviderFor.js';
import { useKinesisLocal } from '../support/emulators.js';
import { type CognitoStub, startCognitoStub } from './support/cognitoStub.js';
import { type StsStub, startStsStub } from './support/stsStub.js';

type Identity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const kinesis = useKinesisLocal();
let sts: StsStub;
let cognito: CognitoStub;
let dir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sts = await startStsStub();
  cognito = await startCognitoStub();
  dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-creds-'));
});
afterAll(async () => {
  await sts.stop();
  await cognito.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  sts.calls.length = 0;
  cognito.calls.length = 0;
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

const clients: KinesisClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

/** The identity a decoded credentials config resolves to, through createKinesisClient. */
async function resolve(credentials: unknown, region = 'us-east-1'): Promise<Identity> {
  const config = decodeConfig(ClientConfig, { region, credentials }, 'client');
  const client = createKinesisClient(config) as KinesisClient;
  clients.push(client);
  const provider = client.config.credentials as unknown as () => Promise<Identity>;
  return provider();
}

describe('credential kinds: decoding and rejections', () => {
  it('accepts every kind', () => {
    const kinds = [
      { type: 'AUTO' },
      { type: 'BASIC', accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' },
      { type: 'ENV_VAR' },
      { type: 'PROFILE', path: '/x', name: 'dev' },
      {
        type: 'ASSUME_ROLE',
        roleArn: 'arn:r',
        sessionName: 's',
        externalId: 'e',
        base: { type: 'AUTO' },
      },
      { type: 'WEB_IDENTITY_TOKEN', tokenFile: '/t', roleArn: 'arn:r', sessionName: 's' },
      { type: 'COGNITO', identityPoolId: 'eu-west-1:1699ebc0-7900-4099-b910-2df94f52a030' },
      {
        type: 'COGNITO',
        identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
        region: 'us-east-1',
        logins: { 'accounts.google.com': 'id-token' },
        customRoleArn: 'arn:aws:iam::123456789012:role/dashboard',
        cognitoEndpoint: 'http://127.0.0.1:1',
      },
    ];
    for (const kind of kinds) expect(decodeConfig(CredentialsConfig, kind, 'c')).toEqual(kind);
  });

  it('refuses SYS_PROP, explaining it is a JVM notion and what to use instead', () => {
    expect(() => decodeConfig(CredentialsConfig, { type: 'SYS_PROP' }, 'creds')).toThrowError(
      /creds\.type: expected .*Java system properties.*ENV_VAR.*BASIC.*AUTO.*got "SYS_PROP"/,
    );
  });

  it('names the known kinds, with a did-you-mean, for an unknown kind', () => {
    expect(() => decodeConfig(CredentialsConfig, { type: 'PROFIEL' }, 'creds')).toThrowError(
      'creds.type: expected one of AUTO, BASIC, ENV_VAR, PROFILE, ASSUME_ROLE, WEB_IDENTITY_TOKEN, COGNITO (did you mean "PROFILE"?), got "PROFIEL"',
    );
    expect(() => decodeConfig(CredentialsConfig, 'AUTO', 'creds')).toThrowError(/creds: expected/);
  });

  it('rejects a misspelt key of a kind with a did-you-mean', () => {
    expect(() =>
      decodeConfig(CredentialsConfig, { type: 'PROFILE', nmae: 'dev' }, 'creds'),
    ).toThrowError(/creds\.nmae: expected no such key \(did you mean "name"\?\)/);
  });

  it('requires BASIC keys and an ASSUME_ROLE role ARN, also in a nested base', () => {
    expect(() =>
      decodeConfig(CredentialsConfig, { type: 'BASIC', accessKeyId: 'a' }, 'c'),
    ).toThrowError('c.secretAccessKey: expected a non-empty string, got undefined');
    expect(() =>
      decodeConfig(
        CredentialsConfig,
        {
          type: 'ASSUME_ROLE',
          roleArn: 'arn:outer',
          base: { type: 'ASSUME_ROLE', externalId: 'x' },
        },
        'c',
      ),
    ).toThrowError('c.base.roleArn: expected a non-empty string, got undefined');
  });

  it('COGNITO needs a well-formed identity pool id; logins are tokens or token getters', () => {
    expect(() => decodeConfig(CredentialsConfig, { type: 'COGNITO' }, 'c')).toThrowError(
      'c.identityPoolId: expected an identity pool id like us-east-1:1699ebc0-7900-4099-b910-2df94f52a030, got undefined',
    );
    expect(() =>
      decodeConfig(CredentialsConfig, { type: 'COGNITO', identityPoolId: 'my-pool' }, 'c'),
    ).toThrowError(/c\.identityPoolId: expected an identity pool id .*got "my-pool"/);
    const pool = 'eu-west-1:1699ebc0-7900-4099-b910-2df94f52a030';
    const getter = async (): Promise<string> => 'fresh-token';
    expect(
      decodeConfig(
        CredentialsConfig,
        { type: 'COGNITO', identityPoolId: pool, logins: { 'accounts.google.com': getter } },
        'c',
      ),
    ).toEqual({ type: 'COGNITO', identityPoolId: pool, logins: { 'accounts.google.com': getter } });
    expect(() =>
      decodeConfig(
        CredentialsConfig,
        { type: 'COGNITO', identityPoolId: pool, logins: { 'accounts.google.com': 42 } },
        'c',
      ),
    ).toThrowError(
      'c.logins["accounts.google.com"]: expected a non-empty string or a token getter () => Promise<string>, got 42',
    );
    // a malformed logins value may be a token: it is not repeated in the error
    expect(() =>
      decodeConfig(
        CredentialsConfig,
        { type: 'COGNITO', identityPoolId: pool, logins: 'SECRET-ID-TOKEN' },
        'c',
      ),
    ).toThrowError(/^c\.logins: expected .*, got "?\(redacted\)"?$/);
    expect(() =>
      decodeConfig(CredentialsConfig, { type: 'COGNITO', identityPoolId: pool, login: {} }, 'c'),
    ).toThrowError(/c\.login: expected no such key \(did you mean "logins"\?\)/);
  });

  it('keeps plain static keys and provider functions working in ClientConfig', () => {
    const fn = async (): Promise<Identity> => ({ accessKeyId: 'f', secretAccessKey: 'g' });
    expect(decodeConfig(ClientConfig, { credentials: fn }, 'c').credentials).toBe(fn);
    expect(
      decodeConfig(ClientConfig, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, 'c'),
    ).toEqual({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(() =>
      decodeConfig(ClientConfig, { credentials: { accessKeyId: 'a' } }, 'c'),
    ).toThrowError('c.credentials.secretAccessKey: expected a non-empty string, got undefined');
  });
});

describe('credential kinds: resolution (Node)', () => {
  it('static keys and provider functions resolve as before', async () => {
    expect(await resolve({ accessKeyId: 'a', secretAccessKey: 'b' })).toMatchObject({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(await resolve(async () => ({ accessKeyId: 'fn', secretAccessKey: 'x' }))).toMatchObject({
      accessKeyId: 'fn',
    });
  });

  it('BASIC gives its keys', async () => {
    expect(
      await resolve({ type: 'BASIC', accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' }),
    ).toMatchObject({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' });
  });

  it('ENV_VAR reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'env-key';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret';
    expect(await resolve({ type: 'ENV_VAR' })).toMatchObject({
      accessKeyId: 'env-key',
      secretAccessKey: 'env-secret',
    });
  });

  it('ENV_VAR without the variables fails when credentials are needed', async () => {
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_SECRET_ACCESS_KEY'];
    await expect(resolve({ type: 'ENV_VAR' })).rejects.toThrow(/AWS_ACCESS_KEY_ID|environment/i);
  });

  it('AUTO is the default chain (here: the environment)', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'auto-key';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'auto-secret';
    expect(await resolve({ type: 'AUTO' })).toMatchObject({ accessKeyId: 'auto-key' });
  });

  it('PROFILE reads the named profile of the given file (credentials or config style)', async () => {
    const file = join(dir, 'credentials');
    writeFileSync(
      file,
      '[default]\naws_access_key_id = d\naws_secret_access_key = ds\n\n' +
        '[dev]\naws_access_key_id = dev-key\naws_secret_access_key = dev-secret\n\n' +
        '[profile cfg]\naws_access_key_id = cfg-key\naws_secret_access_key = cfg-secret\n',
    );
    expect(await resolve({ type: 'PROFILE', path: file, name: 'dev' })).toMatchObject({
      accessKeyId: 'dev-key',
      secretAccessKey: 'dev-secret',
    });
    expect(await resolve({ type: 'PROFILE', path: file, name: 'cfg' })).toMatchObject({
      accessKeyId: 'cfg-key',
    });
    delete process.env['AWS_PROFILE'];
    expect(await resolve({ type: 'PROFILE', path: file })).toMatchObject({ accessKeyId: 'd' });
    await expect(resolve({ type: 'PROFILE', path: file, name: 'nope' })).rejects.toThrow(/nope/);
  });

  it('ASSUME_ROLE calls STS AssumeRole signed with its base credentials', async () => {
    const identity = await resolve({
      type: 'ASSUME_ROLE',
      roleArn: 'arn:aws:iam::123456789012:role/reader',
      sessionName: 'session-1',
      externalId: 'ext-1',
      base: { type: 'BASIC', accessKeyId: 'base-key', secretAccessKey: 'base-secret' },
      stsEndpoint: sts.endpoint,
    });
    expect(sts.calls).toHaveLength(1);
    expect(sts.calls[0]).toMatchObject({
      action: 'AssumeRole',
      signedBy: 'base-key',
      params: {
        RoleArn: 'arn:aws:iam::123456789012:role/reader',
        RoleSessionName: 'session-1',
        ExternalId: 'ext-1',
      },
    });
    expect(identity.accessKeyId).toBe('700000000001');
    expect(identity.sessionToken).toBe('token-700000000001');
  });

  it('a nested ASSUME_ROLE chain calls STS twice, the outer call signed by the inner role', async () => {
    const identity = await resolve({
      type: 'ASSUME_ROLE',
      roleArn: 'arn:aws:iam::123456789012:role/outer',
      stsEndpoint: sts.endpoint,
      base: {
        type: 'ASSUME_ROLE',
        roleArn: 'arn:aws:iam::123456789012:role/inner',
        stsEndpoint: sts.endpoint,
        base: { type: 'BASIC', accessKeyId: 'root-key', secretAccessKey: 'root-secret' },
      },
    });
    expect(sts.calls.map((c) => [c.params['RoleArn'], c.signedBy])).toEqual([
      ['arn:aws:iam::123456789012:role/inner', 'root-key'],
      ['arn:aws:iam::123456789012:role/outer', '700000000001'],
    ]);
    expect(identity.accessKeyId).toBe('700000000002');
  });

  it('WEB_IDENTITY_TOKEN sends the token file content to AssumeRoleWithWebIdentity', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'the-oidc-token');
    const identity = await resolve({
      type: 'WEB_IDENTITY_TOKEN',
      tokenFile,
      roleArn: 'arn:aws:iam::123456789012:role/web',
      sessionName: 'web-session',
      stsEndpoint: sts.endpoint,
    });
    expect(sts.calls).toHaveLength(1);
    expect(sts.calls[0]?.action).toBe('AssumeRoleWithWebIdentity');
    expect(sts.calls[0]?.params).toMatchObject({
      RoleArn: 'arn:aws:iam::123456789012:role/web',
      RoleSessionName: 'web-session',
      WebIdentityToken: 'the-oidc-token',
    });
    expect(identity.accessKeyId).toBe('700000000001');
  });

  it('an assumed role reaches Kinesis: the STS keys are the kinesis-local account', async () => {
    const config = decodeConfig(
      ClientConfig,
      {
        region: 'us-east-1',
        endpoint: kinesis.endpoint,
        credentials: {
          type: 'ASSUME_ROLE',
          roleArn: 'arn:aws:iam::123456789012:role/writer',
          base: { type: 'BASIC', accessKeyId: 'root', secretAccessKey: 'x' },
          stsEndpoint: sts.endpoint,
        },
      },
      'client',
    );
    const client = createKinesisClient(config) as KinesisClient;
    clients.push(client);
    const owner = kinesis.client({ accessKeyId: '700000000001', secretAccessKey: 'any' });
    await kinesis.createStream(owner, 'assumed-stream', 1);
    const listed = await client.send(new ListStreamsCommand({}));
    expect(listed.StreamNames).toEqual(['assumed-stream']);
  });

  it('COGNITO calls GetId then GetCredentialsForIdentity with the pool, logins and role', async () => {
    const identity = await resolve({
      type: 'COGNITO',
      identityPoolId: 'us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
      logins: { 'accounts.google.com': 'static-token', 'cognito-idp.example': async () => 'got' },
      customRoleArn: 'arn:aws:iam::123456789012:role/dashboard',
      cognitoEndpoint: cognito.endpoint,
    });
    expect(cognito.calls.map((c) => c.action)).toEqual(['GetId', 'GetCredentialsForIdentity']);
    const logins = { 'accounts.google.com': 'static-token', 'cognito-idp.example': 'got' };
    expect(cognito.calls[0]?.params).toMatchObject({
      IdentityPoolId: 'us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
      Logins: logins,
    });
    expect(cognito.calls[1]?.params).toMatchObject({
      IdentityId: 'us-east-1:identity-1',
      CustomRoleArn: 'arn:aws:iam::123456789012:role/dashboard',
      Logins: logins,
    });
    expect(identity).toMatchObject({
      accessKeyId: '710000000001',
      secretAccessKey: 'secret-710000000001',
      sessionToken: 'token-710000000001',
    });
  });

  it('COGNITO keys reach Kinesis, in Node and through the browser twin', async () => {
    const owner = kinesis.client({ accessKeyId: '710000000001', secretAccessKey: 'any' });
    await kinesis.createStream(owner, 'cognito-stream', 1);
    const kind = {
      type: 'COGNITO',
      identityPoolId: 'us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
      cognitoEndpoint: cognito.endpoint,
    } as const;
    const node = createKinesisClient({
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials: kind,
    }) as KinesisClient;
    clients.push(node);
    expect((await node.send(new ListStreamsCommand({}))).StreamNames).toEqual(['cognito-stream']);
    const browserProvider = browserCredentialProviderFor(kind) as () => Promise<Identity>;
    expect(typeof browserProvider).toBe('function');
    expect((await browserProvider()).accessKeyId).toBe('710000000001');
  });

  it('the browser twin accepts BASIC, static keys and functions, and explains the rest', () => {
    expect(
      browserCredentialProviderFor({ type: 'BASIC', accessKeyId: 'a', secretAccessKey: 'b' }),
    ).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
    expect(browserCredentialProviderFor({ type: 'AUTO' })).toBeUndefined();
    expect(() => browserCredentialProviderFor({ type: 'PROFILE', name: 'dev' })).toThrowError(
      ConfigError,
    );
    expect(() => browserCredentialProviderFor({ type: 'ENV_VAR' })).toThrowError(
      /credentials\.type: expected .*browser.*ENV_VAR needs Node/,
    );
  });

  it('the Node resolver passes static keys and functions through untouched', () => {
    const keys = { accessKeyId: 'a', secretAccessKey: 'b' };
    expect(credentialProviderFor(keys)).toBe(keys);
  });
});

describe('region and endpoint', () => {
  it('a custom https endpoint with a self-signed certificate works with trustAllCertificates', async () => {
    const tls = kinesis.server().tlsEndpoint;
    const trusting = createKinesisClient(
      decodeConfig(
        ClientConfig,
        {
          region: 'us-east-1',
          endpoint: tls,
          httpProtocol: 'http1',
          trustAllCertificates: true,
          credentials: { type: 'BASIC', accessKeyId: '700000000099', secretAccessKey: 'x' },
        },
        'client',
      ),
    ) as KinesisClient;
    const strict = createKinesisClient({
      region: 'us-east-1',
      endpoint: tls,
      httpProtocol: 'http1',
      credentials: { accessKeyId: '700000000099', secretAccessKey: 'x' },
    }) as KinesisClient;
    clients.push(trusting, strict);
    strict.config.maxAttempts = async () => 1;
    expect((await trusting.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
    await expect(strict.send(new ListStreamsCommand({}))).rejects.toThrow(/certificate/i);
  });

  it('region comes from the default chain when not given', async () => {
    process.env['AWS_REGION'] = 'eu-central-1';
    const client = createKinesisClient({ credentials: { type: 'AUTO' } }) as KinesisClient;
    clients.push(client);
    expect(await client.config.region()).toBe('eu-central-1');
  });
});
