// Pure validation of the `workflowRuns.connections` setting (no vscode import: unit-tested).
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
      const issue = parsed.error.issues[0];
      problems.push(`Connection ${label}: ${issue.path.join('.') || 'entry'} — ${issue.message}`);
      return;
    }
    const connection = parsed.data;
    const platform = findPlatform(connection.platform);
    if (!platform) {
      problems.push(`Connection ${label}: unknown platform “${connection.platform}” (use ${platforms.map((p) => p.id).join(', ')}).`);
      return;
    }
    const extra = platform.settingsSchema.safeParse(connection);
    if (!extra.success) {
      const issue = extra.error.issues[0];
      problems.push(`Connection ${label}: ${issue.path.join('.') || 'entry'} — ${issue.message}`);
      return;
    }
    if (seen.has(connection.name)) {
      problems.push(`Connection ${label} is defined twice; names must be unique.`);
      return;
    }
    seen.add(connection.name);
    connections.push(connection);
  });
  return { connections, problems };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
