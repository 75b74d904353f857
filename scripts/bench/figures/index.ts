// The figure registry: every figure `npm run bench` knows, in the order it prints them. A figure
// nobody measures yet is listed with notMeasuredYet() so the report says so; to add one, write
// scripts/bench/figures/<name>.ts exporting a Figure and replace its line here.
import type { Figure } from '../figure';
import { activationFigure, servicesReadyFigure } from './activation';
import { cliParallelFigure } from './cliParallel';
import { clientOverheadFigure } from './clientOverhead';
import { firstLiveStateFigure } from './firstLiveState';
import { historyFigure } from './history';
import { idleFigure } from './idle';
import { inFlightFigure } from './inFlight';
import { keepAliveFigure } from './keepAlive';
import { pollingFigure } from './polling';
import { searchRunsFigure } from './searchRuns';
import { sseFigure } from './sse';
import { vsixFigure } from './vsix';
import { webviewFloodFigure } from './webviewFlood';
import { zuoraTasksFigure } from './zuoraTasks';

export const figures: Figure[] = [
  activationFigure,
  servicesReadyFigure,
  vsixFigure,
  clientOverheadFigure,
  keepAliveFigure,
  sseFigure,
  historyFigure,
  searchRunsFigure,
  webviewFloodFigure,
  zuoraTasksFigure,
  inFlightFigure,
  pollingFigure,
  idleFigure,
  cliParallelFigure,
  firstLiveStateFigure,
];
