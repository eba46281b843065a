import { type KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

const handlerOf = (client: KinesisClient): unknown => client.config.requestHandler;

describe('HTTP protocol is a setting', () => {
  const kinesis = useKinesisLocal();
  const clients: KinesisClient[] = [];
  const make = (config: Parameters<typeof createKinesisClient>[0]): KinesisClient => {
    const client = createKinesisClient(config) as KinesisClient;
    clients.push(client);
    return client;
  };

  it('an http:// endpoint speaks HTTP/1.1 by default, and answers', async () => {
    const client = make({
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials: freshCredentials(),
    });
    expect(handlerOf(client)).toBeInstanceOf(NodeHttpHandler);
    expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
  });

  it("httpProtocol: 'http2' speaks HTTP/2 (kinesis-local's TLS port, self-signed)", async () => {
    const client = make({
      region: 'us-east-1',
      endpoint: kinesis.server().tlsEndpoint,
      httpProtocol: 'http2',
      trustAllCertificates: true,
      credentials: freshCredentials(),
    });
    expect(handlerOf(client)).toBeInstanceOf(NodeHttp2Handler);
    try {
      expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it('trustAllCertificates works with the default protocol (no httpProtocol): HTTP/2, as the SDK', async () => {
    const trusting = make({
      region: 'us-east-1',
      endpoint: kinesis.server().tlsEndpoint,
      trustAllCertificates: true,
      credentials: freshCredentials(),
    });
    // The SDK's own Node default for Kinesis is HTTP/2: trusting all certificates keeps it.
    expect(handlerOf(trusting)).toBeInstanceOf(NodeHttp2Handler);
    const strict = make({
      region: 'us-east-1',
      endpoint: kinesis.server().tlsEndpoint,
      credentials: freshCredentials(),
    });
    try {
      expect((await trusting.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
      await expect(strict.send(new ListStreamsCommand({}))).rejects.toThrow(/self.signed/i);
    } finally {
      trusting.destroy();
      strict.destroy();
    }
  });

  it("trustAllCertificates with httpProtocol 'auto' and 'http1' too", async () => {
    for (const httpProtocol of ['auto', 'http1'] as const) {
      const client = make({
        region: 'us-east-1',
        endpoint: kinesis.server().tlsEndpoint,
        httpProtocol,
        trustAllCertificates: true,
        credentials: freshCredentials(),
      });
      try {
        expect((await client.send(new ListStreamsCommand({}))).StreamNames, httpProtocol).toEqual(
          [],
        );
      } finally {
        client.destroy();
      }
    }
  });

  it('clients we create do not retry inside the SDK (maxAttempts 1): retries are ours', async () => {
    const client = make({ region: 'us-east-1', credentials: freshCredentials() });
    expect(await client.config.maxAttempts()).toBe(1);
    client.destroy();
  });

  it("httpProtocol: 'auto' leaves the SDK's own default", () => {
    const client = make({
      region: 'us-east-1',
      httpProtocol: 'auto',
      credentials: freshCredentials(),
    });
    expect(handlerOf(client)).not.toBeInstanceOf(NodeHttpHandler);
    client.destroy();
  });
});
