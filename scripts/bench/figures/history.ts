// The history figure (issue 11): measured by scripts/bench/history.ts, shown here beside the 0.1
// store's own work on the same records (its baseline).
import { benchHistory } from '../history';
import type { Figure, Measurement } from '../figure';

const limits: Record<string, number> = { ms: Number.NaN, bytes: 10 * 1024 };
const msTargets = [50, 2, 1];

export const historyFigure: Figure = {
  id: 'history',
  title: 'History of 10,000 runs over 200 workflows',
  target: 'load when a view first needs it ≤ 50 ms; children of one workflow ≤ 2 ms; persisting a change to one run ≤ 1 ms and ≤ 10 KB written',
  async measure(): Promise<Measurement[]> {
    const { figures, note } = await benchHistory();
    let msIndex = 0;
    return figures.map((figure) => {
      const limit = figure.unit === 'ms' ? msTargets[msIndex++]! : limits[figure.unit]!;
      return {
        label: figure.name,
        value: figure.value,
        unit: figure.unit,
        baseline: figure.baseline === undefined ? undefined : { label: 'the 0.1 store (one Memento value) on the same records', value: figure.baseline },
        met: figure.value <= limit,
        notes: figure === figures[0] ? [note] : undefined,
      };
    });
  },
};
