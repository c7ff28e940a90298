// League tables of organisational units by index or satisfaction rate, keeping too-small samples out of the ranks.

import { figuresOf, type Levels } from './figures.js';

export interface RankCandidate {
  id: string;
  name: string;
  levels: Levels;
}

export type RankMetric = 'index' | 'satisfactionRate';

export interface RankedItem {
  rank: number;
  id: string;
  name: string;
  n: number;
  value: number;
  interval: [number, number];
}

export interface InsufficientItem {
  id: string;
  name: string;
  n: number;
}

export interface Ranking {
  items: RankedItem[];
  insufficient: InsufficientItem[];
}

/**
 * Ranks candidates by `metric`, best first. Units with fewer than `minN` ratings are listed separately rather
 * than ranked, because a unit with three perfect scores would otherwise top the table on noise. Ties share a
 * rank with gaps after them (1, 2, 2, 4) so that a rank still tells how many units did strictly better; the
 * order within a tie (more ratings first, then id) only makes the output deterministic.
 */
export function rank(candidates: RankCandidate[], metric: RankMetric, minN: number): Ranking {
  const ranked: Omit<RankedItem, 'rank'>[] = [];
  const insufficient: InsufficientItem[] = [];
  for (const candidate of candidates) {
    const figures = figuresOf(candidate.levels);
    const value = metric === 'index' ? figures.index : figures.satisfactionRate;
    // An empty unit has no value at all, so it cannot be ranked even when minN allows it.
    if (figures.n < minN || value === null || figures.satisfactionRateInterval === null) {
      insufficient.push({ id: candidate.id, name: candidate.name, n: figures.n });
      continue;
    }
    ranked.push({
      id: candidate.id,
      name: candidate.name,
      n: figures.n,
      value,
      interval: figures.satisfactionRateInterval,
    });
  }

  ranked.sort((a, b) => b.value - a.value || b.n - a.n || compareCodeUnits(a.id, b.id));
  insufficient.sort((a, b) => compareCodeUnits(a.id, b.id));

  const items: RankedItem[] = [];
  for (const [position, item] of ranked.entries()) {
    const previous = items[position - 1];
    const rankNumber = previous !== undefined && previous.value === item.value ? previous.rank : position + 1;
    items.push({ rank: rankNumber, ...item });
  }
  return { items, insufficient };
}

// localeCompare would make the order depend on the runtime's ICU data and locale; ids need a stable order.
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
