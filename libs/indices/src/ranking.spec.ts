// Checks league-table order, competition ranks, tie-breaks and the minimum-sample cut-off.

import type { Levels } from './figures.js';
import { rank, type RankCandidate } from './ranking.js';

function candidate(id: string, levels: Levels): RankCandidate {
  return { id, name: `Unit ${id}`, levels };
}

describe('rank', () => {
  it('when values differ, then candidates are ordered best first with their n and Wilson interval', () => {
    const result = rank(
      [candidate('a', [0, 0, 0, 10, 0]), candidate('b', [0, 0, 0, 0, 10]), candidate('c', [0, 0, 10, 0, 0])],
      'index',
      1,
    );
    expect(result.items.map((item) => [item.rank, item.id, item.value])).toEqual([
      [1, 'b', 100],
      [2, 'a', 75],
      [3, 'c', 50],
    ]);
    expect(result.items[0]).toMatchObject({ name: 'Unit b', n: 10 });
    // 10 of 10 satisfied: Wilson lower bound 1 − 0.2775328… (see wilson.spec).
    expect(result.items[0]!.interval[0]).toBeCloseTo(0.7224671969739425, 12);
    expect(result.insufficient).toEqual([]);
  });

  it('when values tie, then they share a rank and the next rank skips (1, 2, 2, 4)', () => {
    const result = rank(
      [
        candidate('d', [0, 0, 1, 0, 0]), // index 50
        candidate('b', [0, 0, 0, 2, 0]), // index 75, n 2
        candidate('c', [0, 0, 0, 3, 0]), // index 75, n 3
        candidate('a', [0, 0, 0, 0, 1]), // index 100
      ],
      'index',
      1,
    );
    expect(result.items.map((item) => [item.rank, item.id])).toEqual([
      [1, 'a'],
      [2, 'c'],
      [2, 'b'],
      [4, 'd'],
    ]);
  });

  it('when value and n tie, then ids order by code units so upper case precedes lower case', () => {
    const result = rank(
      [candidate('b', [0, 0, 0, 0, 1]), candidate('B', [0, 0, 0, 0, 1]), candidate('a', [0, 0, 0, 0, 1])],
      'index',
      1,
    );
    expect(result.items.map((item) => [item.rank, item.id])).toEqual([
      [1, 'B'],
      [1, 'a'],
      [1, 'b'],
    ]);
  });

  it('when ranking by satisfaction rate, then a high rate beats a high mean', () => {
    const steady = candidate('steady', [0, 0, 10, 0, 0]); // rate 1, index 50
    const polarised = candidate('polarised', [2, 0, 0, 0, 8]); // rate 0.8, index 80
    expect(rank([steady, polarised], 'satisfactionRate', 1).items.map((item) => [item.id, item.value])).toEqual([
      ['steady', 1],
      ['polarised', 0.8],
    ]);
    expect(rank([steady, polarised], 'index', 1).items.map((item) => item.id)).toEqual(['polarised', 'steady']);
  });

  it('when ranking by index, then the interval is still that of the satisfaction rate', () => {
    const [item] = rank([candidate('x', [2, 0, 0, 0, 8])], 'index', 1).items;
    expect(item!.value).toBe(80);
    // Wilson 95% for 8 of 10.
    expect(item!.interval[0]).toBeCloseTo(0.4901624691221324, 12);
    expect(item!.interval[1]).toBeCloseTo(0.943317849062233, 12);
  });

  it('when a candidate has fewer than minN ratings, then it is listed as insufficient, sorted by id', () => {
    const result = rank(
      [
        candidate('z', [0, 0, 0, 0, 4]),
        candidate('m', [0, 0, 0, 0, 5]),
        candidate('A', [0, 0, 0, 1, 0]),
        candidate('k', [1, 1, 1, 1, 1]),
      ],
      'index',
      5,
    );
    expect(result.items.map((item) => [item.rank, item.id])).toEqual([
      [1, 'm'],
      [2, 'k'],
    ]);
    expect(result.insufficient).toEqual([
      { id: 'A', name: 'Unit A', n: 1 },
      { id: 'z', name: 'Unit z', n: 4 },
    ]);
  });

  it('when minN is 0, then candidates without ratings are still insufficient because they have no value', () => {
    const result = rank([candidate('empty', [0, 0, 0, 0, 0]), candidate('one', [0, 0, 0, 0, 1])], 'index', 0);
    expect(result.items.map((item) => item.id)).toEqual(['one']);
    expect(result.insufficient).toEqual([{ id: 'empty', name: 'Unit empty', n: 0 }]);
  });

  it('when there are no candidates, then both lists are empty', () => {
    expect(rank([], 'index', 1)).toEqual({ items: [], insufficient: [] });
  });
});
