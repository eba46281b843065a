// Bundled for the browser by test/browserRuntime.test.ts: what a dashboard page would run.
import { firstValueFrom, map, take, toArray } from 'rxjs';
import { fromKinesis } from '../../src/index.js';

export function readSome(
  endpoint: string,
  stream: string,
  count: number,
  accessKeyId: string,
): Promise<string[]> {
  return firstValueFrom(
    fromKinesis({
      stream,
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId, secretAccessKey: 'x' },
      initialPosition: 'TRIM_HORIZON',
    }).pipe(
      map((record) => `${record.partitionKey}=${new TextDecoder().decode(record.data)}`),
      take(count),
      toArray(),
    ),
  );
}
