// The shape every figure of `npm run bench` has, and the registry they are listed in. A figure
// measures one thing and, where one exists, its baseline in the same run and the same process
// conditions; the report prints value, baseline, ratio and target side by side.

export interface Measurement {
  /** What was measured, e.g. "require + activate() until idle". */
  label: string;
  value: number;
  unit: string;
  /** The same work done the obvious or minimal way, measured in the same run. */
  baseline?: { label: string; value: number };
  /** Whether the figure meets its target; undefined when the target is only "reported". */
  met?: boolean;
  /** Anything a reader needs to judge the number (heap growth, worst delay, sample spread). */
  notes?: string[];
}

export interface Figure {
  id: string;
  title: string;
  /** The target as the issue states it, in words. */
  target: string;
  /** Absent: the figure is registered but nobody measures it yet ("not measured yet" is printed). */
  measure?: () => Promise<Measurement[]>;
}

/** A figure that later work will measure: listed, so its absence is visible, never invented. */
export function notMeasuredYet(id: string, title: string, target: string): Figure {
  return { id, title, target };
}
