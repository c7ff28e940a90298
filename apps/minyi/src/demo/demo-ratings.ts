// Makes believable ratings: mostly satisfied, better or worse by window, a few bad ones with reasons.
import { randomUUID } from 'node:crypto';
import { DEMO_OFFICERS, FEEDBACK, type DemoWindow } from './demo-organisation.js';

export function scoreFor(quality: number, random: () => number): number {
  // A skewed five-level distribution whose mean moves with the window's quality.
  const x = random() + quality * 0.35;
  if (x > 0.55) return 5;
  if (x > 0.3) return 4;
  if (x > 0.14) return 3;
  if (x > 0.06) return 2;
  return 1;
}

export function demoRating(window: DemoWindow, at: Date, random: () => number) {
  const score = scoreFor(window.quality, random);
  const officers = DEMO_OFFICERS.filter((o) => o.unitId === window.unitId);
  const tone = score >= 4 ? FEEDBACK.good : score <= 2 ? FEEDBACK.bad : null;
  const rating: Record<string, unknown> = {
    id: randomUUID(),
    score,
    occurredAt: at.toISOString(),
    serviceType: window.serviceTypes[Math.floor(random() * window.serviceTypes.length)],
  };
  if (officers.length) rating.officerId = officers[Math.floor(random() * officers.length)].id;
  if (tone && random() < 0.4) rating.reasons = [tone.reasons[Math.floor(random() * tone.reasons.length)]];
  if (tone && random() < 0.15) rating.comment = tone.comments[Math.floor(random() * tone.comments.length)];
  return rating;
}
