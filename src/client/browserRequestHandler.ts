import type { HttpProtocol } from '../config/ClientConfig.js';

export interface RequestHandlerChoice {
  readonly protocol: Exclude<HttpProtocol, 'auto'>;
  readonly trustAllCertificates: boolean;
}

/**
 * In a browser the SDK's default handler (fetch) is the only one, and the
 * browser picks the HTTP version. Bundlers swap `src/node/nodeRequestHandler`
 * for this module through the package's `browser` field.
 */
export function requestHandlerFor(_choice: RequestHandlerChoice): undefined {
  return undefined;
}
