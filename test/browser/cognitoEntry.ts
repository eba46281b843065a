// Bundled for the browser by test/browser/dashboard.test.ts: a page reading Kinesis with keys
// from a Cognito identity pool (the COGNITO credentials kind).
import { firstValueFrom, map, take, toArray } from 'rxjs';
import { fromKinesis } from '../../src/index.js';

export function readWithCognito(
  endpoint: string,
  cognitoEndpoint: string,
  stream: string,
  count: number,
): Promise<string[]> {
  return firstValueFrom(
    fromKinesis({
      stream,
      region: 'us-east-1',
      endpoint,
      credentials: {
        type: 'COGNITO',
        identityPoolId: 'us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
        cognitoEndpoint,
      },
      initialPosition: 'TRIM_HORIZON',
    }).pipe(
      map((record) => new TextDecoder().decode(record.data)),
      take(count),
      toArray(),
    ),
  );
}
