// Polling a quiet 10-minute Zuora run with the adaptive schedule (nextPollDelay, base 2 s: the
// default of workflowRuns.polling.intervalSeconds) against fixed 1 s polling, on a simulated clock:
// exact counts, and how late a change can be seen.
import { nextPollDelay } from '../../../src/providers/polling';
import type { Figure, Measurement } from '../figure';

const runMs = 10 * 60_000;
const baseMs = 2_000;
/** The run changes when it starts, 5 s in, and when it ends; it is quiet otherwise. */
const changes = [0, 5_000, runMs];

/** The poll times of one run: after a change the schedule starts again from the base interval. */
function adaptivePolls(): number[] {
  const polls: number[] = [];
  let t = 0;
  let unchanged = 0;
  let seen = 0;
  for (;;) {
    polls.push(t);
    if (t >= runMs) break;
    if (seen < changes.length && t >= changes[seen]) {
      unchanged = 0;
      while (seen < changes.length && t >= changes[seen]) seen += 1;
    } else unchanged += 1;
    t = Math.min(runMs, t + nextPollDelay(unchanged, { baseMs }));
  }
  return polls;
}

/** The longest a change made at any time in [from, to) waits for the next poll. */
function worstDelay(polls: number[], from: number, to: number): number {
  let worst = 0;
  for (let i = 1; i < polls.length; i += 1) {
    if (polls[i] <= from || polls[i - 1] >= to) continue;
    worst = Math.max(worst, polls[i] - Math.max(polls[i - 1], from));
  }
  return worst;
}

export const pollingFigure: Figure = {
  id: 'polling',
  title: 'Polling a quiet 10-minute Zuora run vs fixed 1 s polling (simulated clock)',
  target: '≤ 10 % of the requests; each change shown within 5 s at the start and 30 s at worst',
  async measure(): Promise<Measurement[]> {
    const polls = adaptivePolls();
    const fixed = runMs / 1000 + 1;
    const atStart = worstDelay(polls, 0, 10_000) / 1000;
    const atWorst = worstDelay(polls, 0, runMs) / 1000;
    return [
      {
        label: 'status requests for the run',
        value: polls.length,
        unit: 'requests',
        baseline: { label: 'fixed 1 s polling', value: fixed },
        met: polls.length / fixed <= 0.1,
      },
      { label: 'latest a change is seen, first 10 s', value: atStart, unit: 's', met: atStart <= 5 },
      { label: 'latest a change is seen, whole run', value: atWorst, unit: 's', met: atWorst <= 30 },
    ];
  },
};
