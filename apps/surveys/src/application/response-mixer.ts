// Mixes the writes of anonymous responses, so that the order and the moment of a response in the log say as little as
// possible about which token's use let it in. A response whose token was just used is not appended at once: every
// such response arriving within one window is appended when the window ends, all together and in a random order
// (the event store commits appends that reach it together in one transaction). Within a window, neither log
// position nor transaction nor recorded time tells whose response is whose; across windows, time still does —
// which is why the README says what minyi promises and what it does not.
import { randomInt } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/** How long a window gathers responses: the latency an anonymous response pays for its company. */
export const MIX_WINDOW_MS = 25;

interface Waiting {
  work: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

@Injectable()
export class ResponseMixer implements OnModuleDestroy {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  private readonly windowMs = MIX_WINDOW_MS;

  /** Runs `work` when the current window ends, among the window's others in a random order. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    // Fisher–Yates with the system's random numbers: the order must not be guessable from the arrival order.
    for (let i = batch.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [batch[i], batch[j]] = [batch[j], batch[i]];
    }
    for (const w of batch) w.work().then(w.resolve, w.reject);
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
  }
}
