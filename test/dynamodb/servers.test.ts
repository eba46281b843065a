import { describe, expect, it } from 'vitest';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBEmulator, useDynalite, useDynamoDBLocal } from '../support/dynamodb.js';

function roundTrip(name: string, server: DynamoDBEmulator): void {
  describe(name, () => {
    it('creates a table, refuses a stale conditional write, reads back the item', async () => {
      const client = server.client();
      await client.send(
        new CreateTableCommand({
          TableName: 'servers',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        }),
      );
      await client.send(
        new PutItemCommand({ TableName: 'servers', Item: { k: { S: 'a' }, v: { N: '1' } } }),
      );
      await expect(
        client.send(
          new PutItemCommand({
            TableName: 'servers',
            Item: { k: { S: 'a' }, v: { N: '2' } },
            ConditionExpression: 'attribute_not_exists(k)',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
      const got = await client.send(
        new GetItemCommand({ TableName: 'servers', Key: { k: { S: 'a' } } }),
      );
      expect(got.Item?.v).toEqual({ N: '1' });
    });
  });
}

roundTrip('dynalite', useDynalite());
roundTrip('DynamoDB Local', useDynamoDBLocal());
