import {
  type AttributeValue,
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { type SchedulerLike, asyncScheduler } from 'rxjs';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { type Item, applyUpdate, evaluateCondition } from './dynamoDBExpressions.js';
import { SyncAnswer } from './syncAnswer.js';

/** A call the twin received: the command's class name, its input and the scheduler time. */
export interface FakeDynamoDBCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

/** What a fault hook may answer: an error to throw, a response to return, or undefined to go on. */
export type DynamoDBFaultHook = (
  call: FakeDynamoDBCall,
) => { error: unknown } | { response: unknown } | undefined;

export interface FakeDynamoDBOptions {
  /** Clock of the call log. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Items per Scan page (to exercise paging). Default 100. */
  readonly scanPageSize?: number;
}

interface Table {
  readonly name: string;
  readonly hashKey: string;
  readonly items: Map<string, Item>;
}

/** A DynamoDB service error as the SDK raises it (classified by `name`). */
export function dynamoDBError(name: string, message = name): Error {
  const meta = { $metadata: { httpStatusCode: 400 }, message };
  switch (name) {
    case 'ConditionalCheckFailedException':
      return new ConditionalCheckFailedException(meta);
    case 'ResourceNotFoundException':
      return new ResourceNotFoundException(meta);
    case 'ResourceInUseException':
      return new ResourceInUseException(meta);
    case 'ProvisionedThroughputExceededException':
      return new ProvisionedThroughputExceededException(meta);
    default:
      return Object.assign(new Error(message), {
        name,
        $metadata: { httpStatusCode: name === 'InternalServerError' ? 500 : 400 },
      });
  }
}

const clone = (item: Item): Item => structuredClone(item);

/**
 * An in-memory DynamoDB twin for unit and marble tests: the calls a lease
 * table or a checkpoint store makes (CreateTable, DescribeTable, DeleteTable,
 * PutItem, GetItem, UpdateItem, DeleteItem, paged Scan) with condition and
 * update expressions (`attribute_exists`, `attribute_not_exists`, `=`,
 * `<>`, comparisons, `AND`/`OR`/`NOT`; `SET a = :v, b = b + :n`,
 * `if_not_exists`, `REMOVE`, `ADD`), `ReturnValues: 'ALL_NEW'`, and fault
 * injection. It answers synchronously, so code driven by it runs in virtual
 * time under `TestScheduler.run`. Tables are ACTIVE at once.
 *
 * ## Example
 * ```ts
 * import { FakeDynamoDB } from 'rx-kinesis/testing';
 * import { dynamoDBLeases } from 'rx-kinesis';
 * const dynamodb = new FakeDynamoDB();
 * const leases = dynamoDBLeases({ tableName: 'app', workerId: 'w1', dynamodb: { client: dynamodb } });
 * ```
 */
export class FakeDynamoDB implements DynamoDBPort {
  readonly calls: FakeDynamoDBCall[] = [];
  private readonly tables = new Map<string, Table>();
  private readonly faults: DynamoDBFaultHook[] = [];
  private readonly scheduler: SchedulerLike;
  private readonly scanPageSize: number;

  constructor(options: FakeDynamoDBOptions = {}) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.scanPageSize = options.scanPageSize ?? 100;
  }

  /** `DynamoDBClient.send`'s shape, answering with a synchronous thenable. */
  readonly send = ((command: { input: Record<string, unknown> }) => {
    const call: FakeDynamoDBCall = {
      command: command.constructor.name,
      input: command.input,
      at: this.scheduler.now(),
    };
    this.calls.push(call);
    for (const fault of this.faults) {
      const outcome = fault(call);
      if (outcome === undefined) continue;
      return 'error' in outcome
        ? SyncAnswer.reject(outcome.error)
        : SyncAnswer.resolve(outcome.response);
    }
    try {
      return SyncAnswer.resolve(this.handle(call));
    } catch (error) {
      return SyncAnswer.reject(error);
    }
  }) as unknown as DynamoDBPort['send'];

  /** Adds a fault hook; returns a function that removes it. */
  inject(fault: DynamoDBFaultHook): () => void {
    this.faults.push(fault);
    return () => {
      const index = this.faults.indexOf(fault);
      if (index >= 0) this.faults.splice(index, 1);
    };
  }

  /** Fails the next `times` calls of `command` (e.g. `UpdateItemCommand`) with `error` (a name or an error). */
  failNext(command: string, error: unknown, times = 1): void {
    let left = times;
    const remove = this.inject((call) => {
      if (call.command !== command || left <= 0) return undefined;
      left -= 1;
      if (left === 0) remove();
      return { error: typeof error === 'string' ? dynamoDBError(error) : error };
    });
  }

  /** Throttles every call (`ProvisionedThroughputExceededException`) while `when(call)` says so. */
  throttle(when: (call: FakeDynamoDBCall) => boolean): () => void {
    return this.inject((call) =>
      when(call) ? { error: dynamoDBError('ProvisionedThroughputExceededException') } : undefined,
    );
  }

  /** Calls of one command, e.g. `callsOf('UpdateItemCommand')`. */
  callsOf(command: string): FakeDynamoDBCall[] {
    return this.calls.filter((call) => call.command === command);
  }

  /** Creates a table keyed by `hashKey` (a string attribute). */
  createTable(name: string, hashKey = 'leaseKey'): void {
    if (this.tables.has(name))
      throw dynamoDBError('ResourceInUseException', `Table ${name} exists`);
    this.tables.set(name, { name, hashKey, items: new Map() });
  }

  /** True when the table exists. */
  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  /** A copy of every item of a table, by key order. */
  items(name: string): Item[] {
    const table = this.table(name);
    return [...table.items.keys()].sort().map((key) => clone(table.items.get(key) as Item));
  }

  /** One item (a copy), or undefined. */
  item(name: string, key: string): Item | undefined {
    const found = this.table(name).items.get(key);
    return found === undefined ? undefined : clone(found);
  }

  /** Writes an item as it is (seeding a table by hand, e.g. a KCL application's rows). */
  putItem(name: string, item: Item): void {
    const table = this.table(name);
    table.items.set(this.keyOf(table, item), clone(item));
  }

  private table(name: unknown): Table {
    const table = typeof name === 'string' ? this.tables.get(name) : undefined;
    if (table === undefined) {
      throw dynamoDBError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${String(name)} not found`,
      );
    }
    return table;
  }

  private keyOf(table: Table, item: Item | undefined): string {
    const key = item?.[table.hashKey];
    if (key?.S === undefined) {
      throw dynamoDBError('ValidationException', `the key ${table.hashKey} (a string) is missing`);
    }
    return key.S;
  }

  private description(table: Table): Record<string, unknown> {
    return {
      TableName: table.name,
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: table.hashKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: table.hashKey, AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ItemCount: table.items.size,
    };
  }

  private check(input: Record<string, unknown>, item: Item | undefined): void {
    const condition = input['ConditionExpression'];
    if (typeof condition !== 'string') return;
    const ok = evaluateCondition(condition, item ?? {}, {
      names: input['ExpressionAttributeNames'] as Record<string, string> | undefined,
      values: input['ExpressionAttributeValues'] as Record<string, AttributeValue> | undefined,
    });
    if (!ok)
      throw dynamoDBError('ConditionalCheckFailedException', 'The conditional request failed');
  }

  private handle(call: FakeDynamoDBCall): unknown {
    const input = call.input;
    switch (call.command) {
      case 'CreateTableCommand': {
        const name = input['TableName'] as string;
        const schema = input['KeySchema'] as Array<{ AttributeName: string; KeyType: string }>;
        const hash = schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'leaseKey';
        this.createTable(name, hash);
        return { TableDescription: this.description(this.table(name)) };
      }
      case 'DescribeTableCommand':
        return { Table: this.description(this.table(input['TableName'])) };
      case 'DeleteTableCommand': {
        const table = this.table(input['TableName']);
        this.tables.delete(table.name);
        return { TableDescription: this.description(table) };
      }
      case 'PutItemCommand': {
        const table = this.table(input['TableName']);
        const item = input['Item'] as Item;
        const key = this.keyOf(table, item);
        this.check(input, table.items.get(key));
        table.items.set(key, clone(item));
        return {};
      }
      case 'GetItemCommand': {
        const table = this.table(input['TableName']);
        const found = table.items.get(this.keyOf(table, input['Key'] as Item));
        return found === undefined ? {} : { Item: clone(found) };
      }
      case 'DeleteItemCommand': {
        const table = this.table(input['TableName']);
        const key = this.keyOf(table, input['Key'] as Item);
        this.check(input, table.items.get(key));
        table.items.delete(key);
        return {};
      }
      case 'UpdateItemCommand': {
        const table = this.table(input['TableName']);
        const keyItem = input['Key'] as Item;
        const key = this.keyOf(table, keyItem);
        const old = table.items.get(key);
        this.check(input, old);
        const expression = input['UpdateExpression'];
        const updated =
          typeof expression === 'string'
            ? applyUpdate(expression, old ?? clone(keyItem), {
                names: input['ExpressionAttributeNames'] as Record<string, string> | undefined,
                values: input['ExpressionAttributeValues'] as
                  Record<string, AttributeValue> | undefined,
              })
            : (old ?? clone(keyItem));
        table.items.set(key, updated);
        const returns = input['ReturnValues'];
        if (returns === 'ALL_NEW') return { Attributes: clone(updated) };
        if (returns === 'ALL_OLD' && old !== undefined) return { Attributes: clone(old) };
        return {};
      }
      case 'ScanCommand': {
        const table = this.table(input['TableName']);
        const keys = [...table.items.keys()].sort();
        const start = input['ExclusiveStartKey'] as Item | undefined;
        const after = start !== undefined ? this.keyOf(table, start) : undefined;
        const from = after === undefined ? 0 : keys.findIndex((k) => k > after);
        const limit = Math.min(
          typeof input['Limit'] === 'number' ? input['Limit'] : Infinity,
          this.scanPageSize,
        );
        const page = from < 0 ? [] : keys.slice(from, from + limit);
        const last = page[page.length - 1];
        const more = from >= 0 && from + page.length < keys.length;
        return {
          Items: page.map((k) => clone(table.items.get(k) as Item)),
          Count: page.length,
          ...(more && last !== undefined
            ? { LastEvaluatedKey: { [table.hashKey]: { S: last } } }
            : {}),
        };
      }
      default:
        throw dynamoDBError(
          'UnknownOperationException',
          `${call.command} is not supported by the twin`,
        );
    }
  }
}
