// The good neighbour: a terminal of its own window that posts valid ratings while the fuzz runs, one request beside
// every fuzz request (so that both can share a grouped commit), alternating single ratings and batches of two.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@minyi/testing';
import { MINUTE } from './values.js';

export const NEIGHBOUR_WINDOW = 'nb-w';

export class Neighbour {
  /** Ratings it was told were accepted: each must count once. */
  accepted = 0;
  private turn = 0;

  constructor(private readonly terminal: ApiClient) {}

  /** Posts once; returns what went wrong, or null. */
  async post(): Promise<string | null> {
    const rating = () => ({ id: `nb-${randomUUID()}`, score: 1 + Math.floor(Math.random() * 5), occurredAt: new Date(Date.now() - MINUTE).toISOString(), comment: '好' });
    if (this.turn++ % 2 === 0) {
      const body = rating();
      const r = await this.terminal.post('/v1/ratings', body);
      if (r.status !== 202 || r.body?.status !== 'accepted') return `the neighbour's rating answered ${r.status} ${JSON.stringify(r.body)}`;
      this.accepted++;
      return null;
    }
    const ratings = [rating(), rating()];
    const r = await this.terminal.post('/v1/ratings/batch', { ratings });
    const statuses = Array.isArray(r.body?.results) ? r.body.results.map((x: { status: string }) => x.status) : null;
    if (r.status !== 200 || JSON.stringify(statuses) !== JSON.stringify(['accepted', 'accepted'])) return `the neighbour's batch answered ${r.status} ${JSON.stringify(r.body)}`;
    this.accepted += 2;
    return null;
  }

  /** What /v1/satisfaction counts for its window over every year its ratings can fall in (from a year before to a year after). */
  static async counted(reader: ApiClient): Promise<number> {
    const year = new Date().getUTCFullYear();
    const r = await reader.get(`/v1/satisfaction?scope=window:${NEIGHBOUR_WINDOW}&granularity=year&from=${year - 1}-01-01&to=${year + 1}-12-31&channel=ratings`);
    if (r.status !== 200) throw new Error(`the neighbour's figures: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body.series as { n: number }[]).reduce((sum, e) => sum + e.n, 0);
  }
}
