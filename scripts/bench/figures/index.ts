// The figure registry: every figure `npm run bench` knows, in the order it prints them. A figure
// nobody measures yet is listed with notMeasuredYet() so the report says so; to add one, write
// scripts/bench/figures/<name>.ts exporting a Figure and replace its line here.
import { notMeasuredYet, type Figure } from '../figure';
import { activationFigure, servicesReadyFigure } from './activation';
import { clientOverheadFigure } from './clientOverhead';
import { idleFigure } from './idle';
import { keepAliveFigure } from './keepAlive';
import { pollingFigure } from './polling';
import { sseFigure } from './sse';
import { vsixFigure } from './vsix';
import { zuoraTasksFigure } from './zuoraTasks';

export const figures: Figure[] = [
  activationFigure,
  servicesReadyFigure,
  vsixFigure,
  clientOverheadFigure,
  keepAliveFigure,
  sseFigure,
  notMeasuredYet(
    'history',
    'History of 10,000 runs over 200 workflows',
    'load when a view first needs it ≤ 50 ms; children of one workflow ≤ 2 ms; persisting a change to one run ≤ 1 ms and ≤ 10 KB written',
  ),
  notMeasuredYet('webview-flood', 'Webview: 5,000 node events while a details panel is open', '≤ 20 messages a second to the page, final state rendered ≤ 50 ms after the last event, page memory bounded'),
  zuoraTasksFigure,
  notMeasuredYet('in-flight-200', '200 runs in flight through one connection of each platform', 'requests per run, p99 latency, heap after they end vs before (≤ 1.1×)'),
  pollingFigure,
  idleFigure,
  notMeasuredYet('cli-parallel', 'CLI: runs started in parallel', 'reported'),
  notMeasuredYet('first-live-state', 'Run started → first live state in the details panel (code-server, local emulator)', 'median of 5 from the UI harness, ≤ 300 ms'),
];
