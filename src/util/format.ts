// Pure formatting shared by the views (extension host) and the webview page (browser).
import * as l10n from '@vscode/l10n';

/** "850 ms", "4.2 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  // Each unit is chosen after rounding, so 59.6 s shows as "1 min 00 s", never "60 s".
  if (Math.round(ms) < 1000) return l10n.t('{0} ms', Math.round(ms));
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 10) return l10n.t('{0} s', tenths.toFixed(1));
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return l10n.t('{0} s', totalSeconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return l10n.t('{0} min {1} s', minutes, String(totalSeconds % 60).padStart(2, '0'));
  return l10n.t('{0} h {1} min', Math.floor(minutes / 60), String(minutes % 60).padStart(2, '0'));
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", or a date for older times. */
export function formatRelativeTime(epochMs: number | undefined, now = Date.now()): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return '';
  const seconds = Math.round((now - epochMs) / 1000);
  if (seconds < 45) return l10n.t('just now');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return l10n.t('{0} min ago', minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 24) return l10n.t('{0} h ago', hours);
  const days = Math.round(hours / 24);
  if (days < 30) return l10n.t('{0} d ago', days);
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The duration of a run: finished − started, or now − started while in flight. */
export function runDurationMs(startedAt: number | undefined, finishedAt: number | undefined, now = Date.now()): number | undefined {
  if (startedAt === undefined) return undefined;
  return Math.max(0, (finishedAt ?? now) - startedAt);
}

/** A sentence without its final period(s), to be set inside another sentence that has its own. */
export function withoutFinalPeriod(text: string): string {
  return text.replace(/\.+$/, '');
}
