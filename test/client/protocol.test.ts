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
