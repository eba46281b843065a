import { Agent as HttpsAgent } from 'node:https';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { RequestHandlerChoice } from '../client/browserRequestHandler.js';

/**
 * Node's request handler for a protocol: HTTP/1.1 (`NodeHttpHandler`, what the
 * emulators speak) or HTTP/2 (`NodeHttp2Handler`, what real AWS needs for
 * SubscribeToShard). Browser bundles get `client/browserRequestHandler` instead.
 */
export function requestHandlerFor(
  choice: RequestHandlerChoice,
): NodeHttpHandler | NodeHttp2Handler {
  if (choice.protocol === 'http2') {
    return new NodeHttp2Handler({
      disableConcurrentStreams: false,
      ...(choice.trustAllCertificates
        ? { nodeHttp2ConnectOptions: { rejectUnauthorized: false } }
        : {}),
    });
  }
  return new NodeHttpHandler({
    httpsAgent: new HttpsAgent({
      keepAlive: true,
      rejectUnauthorized: !choice.trustAllCertificates,
    }),
  });
}
