// Pure validation of the `workflowRuns.connections` setting (no vscode import: unit-tested).
import type { z } from 'zod';
import * as l10n from '@vscode/l10n';
import { describeIssue } from '../providers/options';
import { findPlatform, platforms } from '../providers/registry';
import { ConnectionSchema, type Connection } from './schema';

/** Pure: checks every entry, keeps the valid ones, describes the others. */
export function validateConnections(entries: unknown[]): { connections: Connection[]; problems: string[] } {
  const connections: Connection[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const label = isRecord(entry) && typeof entry.name === 'string' ? `“${entry.name}”` : `#${index + 1}`;
    const parsed = ConnectionSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(describeEntryIssue(label, parsed.error.issues[0]));
      return;
    }
    const connection = parsed.data;
    const platform = findPlatform(connection.platform);
    if (!platform) {
      problems.push(l10n.t('Connection {0}: unknown platform “{1}” (use {2}).', label, connection.platform, platforms.map((p) => p.id).join(', ')));
      return;
    }
    const extra = platform.settingsSchema.safeParse(connection);
    if (!extra.success) {
      problems.push(describeEntryIssue(label, extra.error.issues[0]));
      return;
    }
    if (seen.has(connection.name)) {
      problems.push(l10n.t('Connection {0} is defined twice; names must be unique.', label));
      return;
    }
    seen.add(connection.name);
    connections.push(connection);
  });
  return { connections, problems };
}

function describeEntryIssue(label: string, issue: z.ZodIssue): string {
  const field = issue.path.join('.');
  const message = issue.code === 'invalid_string' && issue.validation === 'url' ? l10n.t('must be an absolute URL such as {0}', 'https://api.b3os.org') : describeIssue(issue);
  return field
    ? l10n.t({ message: 'Connection {0}: {1} — {2}', args: [label, field, message], comment: ['{0} is the connection (its name in quotes, or #n), {1} a setting key such as baseUrl, {2} what is wrong with it.'] })
    : l10n.t('Connection {0}: {1}', label, message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
