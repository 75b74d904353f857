// Prints the figures: one block per figure, value beside its baseline and the ratio of the two.
import type { Figure, Measurement } from './figure';

function formatValue(value: number, unit: string): string {
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : 1;
  return `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export function printHeader(machine: string): void {
  console.log(`Workflow Runs benchmarks — ${new Date().toISOString()}`);
  console.log(`Machine: ${machine}`);
}

export function printFigure(figure: Figure, measurements: Measurement[] | undefined, error?: unknown): void {
  console.log(`\n${figure.title}  [${figure.id}]`);
  console.log(`  target: ${figure.target}`);
  if (error !== undefined) {
    console.log(`  FAILED to measure: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (!measurements) {
    console.log('  not measured yet');
    return;
  }
  for (const m of measurements) {
    const parts = [formatValue(m.value, m.unit)];
    if (m.baseline) {
      parts.push(`baseline (${m.baseline.label}) ${formatValue(m.baseline.value, m.unit)}`);
      parts.push(`ratio ${m.baseline.value === 0 ? '∞' : (m.value / m.baseline.value).toFixed(2)}×`);
    }
    if (m.met !== undefined) parts.push(m.met ? 'target met' : 'TARGET MISSED');
    console.log(`  ${m.label.padEnd(44)} ${parts.join('   ')}`);
    for (const note of m.notes ?? []) console.log(`  ${''.padEnd(44)} ${note}`);
  }
}
