import { describe, expect, it } from 'vitest';
import { leaseFromItem, leaseToItem } from '../../src/lease/Lease.js';
import { planTakes } from '../../src/lease/planTakes.js';
import { seededRandom } from '../../src/lease/seededRandom.js';
import type { Lease } from '../../src/lease/Lease.js';
import { applyUpdate, evaluateCondition } from '../../src/testing/dynamoDBExpressions.js';
import { FakeDynamoDB } from '../../src/testing/FakeDynamoDB.js';
import { ScanCommand } from '@aws-sdk/client-dynamodb';

describe('lease items (the KCL layout)', () => {
  it('reads a KCL row: parentShardId and childShardIds as string sets, missing numbers as the KCL defaults', () => {
    const lease = leaseFromItem({
      leaseKey: { S: 'shardId-000000000003' },
      leaseOwner: { S: 'kcl-1' },
      leaseCounter: { N: '7' },
      checkpoint: { S: 'SHARD_END' },
      parentShardId: { SS: ['shardId-000000000000', 'shardId-000000000001'] },
      childShardIds: { SS: ['shardId-000000000004'] },
      pendingCheckpoint: { S: '123' },
    });
    expect(lease).toEqual({
      leaseKey: 'shardId-000000000003',
      leaseOwner: 'kcl-1',
      leaseCounter: 7,
      checkpoint: 'SHARD_END',
      checkpointSubSequenceNumber: 0,
      ownerSwitchesSinceCheckpoint: 0,
      parentShardIds: ['shardId-000000000000', 'shardId-000000000001'],
      childShardIds: ['shardId-000000000004'],
    });
    expect(leaseFromItem({ other: { S: 'x' } })).toBeUndefined();
  });

  it('writes the KCL names and types, no empty sets, ours prefixed', () => {
    const lease: Lease = {
      leaseKey: 'shardId-000000000000',
      leaseCounter: 1,
      checkpoint: 'AT_TIMESTAMP',
      checkpointSubSequenceNumber: 0,
      ownerSwitchesSinceCheckpoint: 0,
      parentShardIds: [],
      startingHashKey: '0',
      endingHashKey: '9',
      stream: 'orders',
      pinnedStart: { atTimestamp: '2026-01-01T00:00:00.000Z' },
    };
    expect(leaseToItem(lease)).toEqual({
      leaseKey: { S: 'shardId-000000000000' },
      leaseCounter: { N: '1' },
      checkpoint: { S: 'AT_TIMESTAMP' },
      checkpointSubSequenceNumber: { N: '0' },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      startingHashKey: { S: '0' },
      endingHashKey: { S: '9' },
      rxKinesisStream: { S: 'orders' },
      rxKinesisPinnedStart: { S: '2026-01-01T00:00:00.000Z' },
    });
    expect(leaseFromItem(leaseToItem(lease))).toEqual(lease);
  });
});

const view = (key: string, owner: string | undefined, observedAt = 0) => ({
  lease: {
    leaseKey: key,
    ...(owner !== undefined ? { leaseOwner: owner } : {}),
    leaseCounter: 1,
    checkpoint: 'TRIM_HORIZON',
    checkpointSubSequenceNumber: 0,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
  },
  observedAt,
});
const plan = (
  views: ReturnType<typeof view>[],
  heldCount: number,
  now = 1000,
  random: () => number = seededRandom('me'),
) =>
  planTakes({
    workerId: 'me',
    now,
    failoverTimeMs: 3000,
    maxLeasesToStealAtOneTime: 1,
    views,
    heldCount,
    eligible: () => true,
    random,
  });
const keys = (leases: readonly { leaseKey: string }[]): string[] =>
  leases.map((l) => l.leaseKey).sort();

describe('planTakes (the KCL LeaseTaker rules)', () => {
  it('takes free leases up to the even share', () => {
    const free = ['a', 'b', 'c', 'd'].map((k) => view(k, undefined));
    expect(keys(plan(free, 0).take)).toEqual(['a', 'b', 'c', 'd']);
    const half = [
      view('a', 'other'),
      view('b', 'other'),
      view('c', undefined),
      view('d', undefined),
    ];
    expect(keys(plan(half, 0).take)).toEqual(['c', 'd']);
    // 4 free, 2 owned by another worker: target ceil(6 / 2) = 3, so 3 of the 4
    const more = [...half, view('e', undefined), view('f', undefined)];
    expect(plan(more, 0).take).toHaveLength(3);
  });

  it('picks free leases at random, not in key order, so workers starting together rarely race for one', () => {
    const free = Array.from({ length: 10 }, (_, i) => view(`k${i}`, undefined));
    const others = [view('x', 'w2'), view('y', 'w3'), view('z', 'w4')];
    // 13 leases, 4 workers: target 4
    const picks = (random: () => number): string[] =>
      keys(plan([...free, ...others], 0, 1000, random).take);
    const first = new Set<string>();
    const random = seededRandom('w1');
    for (let i = 0; i < 50; i += 1) first.add(picks(random)[0] as string);
    expect(first.size).toBeGreaterThan(3);
    expect(picks(seededRandom('w1'))).not.toEqual(picks(seededRandom('w2')));
    // the same seed, the same picks: a run in virtual time repeats
    expect(picks(seededRandom('w1'))).toEqual(picks(seededRandom('w1')));
  });

  it('expires a lease by the observer clock only, exactly a failover time after it saw the counter', () => {
    const views = [view('a', 'other', 0), view('b', 'other', 0)];
    expect(plan(views, 0, 2999).take).toEqual([]);
    expect(keys(plan(views, 0, 3000).take)).toEqual(['a', 'b']);
  });

  it('steals one lease per round from the most loaded worker above the target, at random among its leases, and none at an even count', () => {
    const views = ['a', 'b', 'c', 'd'].map((k) => view(k, 'other'));
    const stolen = new Set<string>();
    const random = seededRandom('me');
    for (let i = 0; i < 30; i += 1) {
      const { take, steal } = plan(views, 0, 1000, random);
      expect(take).toEqual([]);
      expect(steal).toHaveLength(1);
      stolen.add(steal[0]?.leaseKey as string);
    }
    expect(stolen.size).toBeGreaterThan(1);
    // from the most loaded only
    const two = [...['a', 'b', 'c'].map((k) => view(k, 'big')), view('d', 'small')];
    for (let i = 0; i < 10; i += 1) {
      expect(plan(two, 0, 1000, random).steal[0]?.leaseOwner).toBe('big');
    }
    const even = [view('a', 'other'), view('b', 'other'), view('c', 'me'), view('d', 'me')];
    expect(plan(even, 2)).toEqual({ take: [], steal: [] });
    // 5 leases, 2 workers: target 3; 3 against 2 is as even as it gets
    const odd = [...['a', 'b', 'c'].map((k) => view(k, 'other')), view('d', 'me'), view('e', 'me')];
    expect(plan(odd, 2)).toEqual({ take: [], steal: [] });
  });

  it('does not count a lease the table already gives to a thief (its renewal has not failed yet)', () => {
    // 6 leases, 3 workers: target 2. This worker still holds 'c' and 'd' by its own count, but the
    // table says 'd' was stolen by w2; 'f' is expired. Counting 'd' twice would leave 'f' to nobody.
    const views = [
      view('a', 'w2', 2500),
      view('b', 'w3', 2500),
      view('c', 'me', 2500),
      view('d', 'w2', 2500),
      view('e', 'w3', 2500),
      view('f', 'dead', 0),
    ];
    expect(keys(plan(views, 2, 3000).take)).toEqual(['f']);
  });

  it('steals from no live worker while a lease of another looks abandoned (unchanged for a renewal period): it is taken at its expiry', () => {
    // 5 leases, 3 workers (w2, dead, me): target 2; w2 holds 3, so one would be stolen. But 'e'
    // was seen unchanged 1500 ms after its counter last moved: its owner missed a renewal. A steal
    // now would still be counted by w2 (until its next renewal fails) when 'e' expires, and every
    // worker could then count itself at the even share and leave 'e' to nobody.
    const silent = (seenAt: number) => ({ ...view('e', 'dead', 0), seenAt });
    const views = (seenAt: number) => [
      view('a', 'w2', 1400),
      view('b', 'w2', 1400),
      view('c', 'w2', 1400),
      view('d', 'me', 1400),
      silent(seenAt),
    ];
    const input = (seenAt: number, abandonedAfterMs?: number) => ({
      workerId: 'me',
      now: 1500,
      failoverTimeMs: 3000,
      maxLeasesToStealAtOneTime: 1,
      views: views(seenAt),
      heldCount: 1,
      eligible: () => true,
      random: seededRandom('me'),
      ...(abandonedAfterMs !== undefined ? { abandonedAfterMs } : {}),
    });
    expect(planTakes(input(1500, 1000))).toEqual({ take: [], steal: [] });
    // seen unchanged for less than a renewal period: nothing suspect, the steal goes ahead
    expect(planTakes(input(500, 1000)).steal.map((l) => l.leaseOwner)).toEqual(['w2']);
    // without the setting, as the KCL: steal whenever nothing is free
    expect(planTakes(input(1500)).steal.map((l) => l.leaseOwner)).toEqual(['w2']);
    // stealing from the silent worker itself leaves no live victim counting it
    const fromSilent = {
      ...input(1500, 1000),
      views: [...views(1500), silent(1500), silent(1500), silent(1500)],
    };
    expect(planTakes(fromSilent).steal.map((l) => l.leaseOwner)).toEqual(['dead']);
    // expired: it is free, and taken rather than anything stolen
    expect(keys(planTakes({ ...input(1500, 1000), now: 3000 }).take)).toEqual(['e']);
  });
});

describe('the twin expressions', () => {
  const names = { '#c': 'leaseCounter', '#o': 'leaseOwner' };
  const item = { leaseCounter: { N: '3' }, leaseOwner: { S: 'w1' } };
  it('evaluates conditions', () => {
    const values = { ':c': { N: '3' }, ':o': { S: 'w1' } };
    expect(evaluateCondition('#c = :c AND #o = :o', item, { names, values })).toBe(true);
    expect(evaluateCondition('#c <> :c OR attribute_not_exists(#o)', item, { names, values })).toBe(
      false,
    );
    expect(evaluateCondition('NOT (#c > :c)', item, { names, values })).toBe(true);
    expect(() => evaluateCondition('#x = :c', item, { names, values })).toThrow('#x');
  });
  it('applies SET with arithmetic and REMOVE, reading the old item', () => {
    const values = { ':one': { N: '1' } };
    expect(applyUpdate('SET #c = #c + :one REMOVE #o', item, { names, values })).toEqual({
      leaseCounter: { N: '4' },
    });
    expect(item.leaseCounter).toEqual({ N: '3' });
  });
  it('pages a scan', async () => {
    const dynamodb = new FakeDynamoDB({ scanPageSize: 2 });
    dynamodb.createTable('t');
    for (const k of ['a', 'b', 'c']) dynamodb.putItem('t', { leaseKey: { S: k } });
    const first = await dynamodb.send(new ScanCommand({ TableName: 't' }));
    expect(first.Items).toHaveLength(2);
    const second = await dynamodb.send(
      new ScanCommand({ TableName: 't', ExclusiveStartKey: first.LastEvaluatedKey }),
    );
    expect(second.Items?.map((i) => i['leaseKey']?.S)).toEqual(['c']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });
});
