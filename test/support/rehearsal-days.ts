/**
 * Drives a rehearsal paced manually, so a test's people act on exactly the
 * simulated day they mean, however busy the machine is. Scripts wait with
 * `onDay(d)`; once every script is waiting (or done), the driver asks the
 * cycle for the earliest day any of them wants (the nextDay Update, answered
 * when that day's steps and digests are done) and wakes those scripts. When
 * no script waits any more it runs the cycle to its close.
 */
import type { Client } from '@temporalio/client';
import { nextDayUpdate, rehearsalDayQuery, type RehearsalDay } from '#contracts';

export class RehearsalDays {
  private readonly waiting = new Map<number, (() => void)[]>();
  private busy = 0;
  private today = 0;
  private readonly settled: Promise<unknown>[] = [];
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: Client,
    private readonly cycleId: string,
  ) {}

  /** Runs a script of people's actions; it counts as busy until it waits for a day or ends. */
  script<T>(run: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const result = run().finally(() => {
      this.busy -= 1;
      this.nudge();
    });
    this.settled.push(result.catch(() => undefined));
    return result;
  }

  /** Resolves on simulated working day `day` (at once if it has come), after its steps and digests. */
  onDay(day: number): Promise<void> {
    if (day <= this.today) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.set(day, [...(this.waiting.get(day) ?? []), resolve]);
      this.busy -= 1;
      this.nudge();
    });
  }

  /** The rehearsal's day as the cycle workflow reports it. */
  where(): Promise<RehearsalDay> {
    return this.client.workflow.getHandle(this.cycleId).query(rehearsalDayQuery);
  }

  /** Runs the days the scripts ask for, then the rest up to the close; answers when the cycle has reached it. */
  async drive(): Promise<RehearsalDay> {
    const handle = this.client.workflow.getHandle(this.cycleId);
    for (;;) {
      while (this.busy > 0) await new Promise<void>((resolve) => (this.wake = resolve));
      const next = Math.min(...this.waiting.keys());
      if (!Number.isFinite(next)) break;
      const reached = await handle.executeUpdate(nextDayUpdate, { args: [{ through: next }] });
      this.today = reached.day;
      for (const day of [...this.waiting.keys()].filter((d) => d <= this.today).sort((a, b) => a - b)) {
        const woken = this.waiting.get(day)!;
        this.waiting.delete(day);
        this.busy += woken.length;
        woken.forEach((resolve) => resolve());
      }
      if (reached.closed || reached.day >= reached.closeDay) break;
    }
    // Days past the close never come: scripts waiting for them go on (and find the task-cycles closed).
    for (const woken of this.waiting.values()) woken.forEach((resolve) => resolve());
    this.waiting.clear();
    await Promise.all(this.settled);
    const { closeDay } = await this.where();
    try {
      return await handle.executeUpdate(nextDayUpdate, { args: [{ through: closeDay }] });
    } catch {
      // Every task-cycle finished early: the cycle has closed already.
      return { ...(await this.where()), closed: true };
    }
  }

  private nudge(): void {
    if (this.busy === 0 && this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    }
  }
}
