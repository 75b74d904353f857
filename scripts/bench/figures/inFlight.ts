// Runs in flight at once (issues 9 and 11), measured by scripts/bench/load.ts: the real store,
// watchers, adapters and HTTP client against the emulator in a child process. Each figure's
// baseline is the one load.ts measures beside it (p50 for latency, the heap before the runs).
import { load } from '../load';
import type { Figure, Measurement } from '../figure';

export const inFlightFigure: Figure = {
  id: 'in-flight-200',
  title: 'Runs in flight: 50 across the three platforms with a reload, then 200 through one connection of each platform',
  target: 'every run followed to its end; requests per run reported; p99 latency reported; heap after they end vs before ≤ 1.1×',
  async measure(): Promise<Measurement[]> {
    const figures = await load();
    return figures.map((figure) => ({
      label: figure.name,
      value: figure.value,
      unit: figure.unit,
      baseline: figure.baseline === undefined ? undefined : { label: baselineLabels[figure.unit] ?? 'baseline', value: figure.baseline },
      met: metFor(figure.unit, figure.value, figure.baseline),
      notes: [figure.note],
    }));
  },
};

/** What load.ts measures beside each figure, by its unit. */
const baselineLabels: Record<string, string> = {
  ms: 'p50 of the same requests',
  MB: 'heap before the runs, after the same warm-up',
  runs: 'runs started',
};

/** Heap: at most 1.1× the baseline; runs: every one followed to its end; the rest is reported. */
function metFor(unit: string, value: number, baseline: number | undefined): boolean | undefined {
  if (baseline === undefined) return undefined;
  if (unit === 'MB') return value <= baseline * 1.1;
  if (unit === 'runs') return value >= baseline;
  return undefined;
}
