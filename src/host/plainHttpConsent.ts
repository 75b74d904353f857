// How the editor asks whether a credential may go over plain HTTP (the rule itself is in
// src/connections/transport.ts; the provider pool asks before any request). Asked once per
// connection and origin: a "yes" is kept in global state, a "no" for this session only, so
// background polls and tree refreshes do not ask again and again; a reload asks afresh.
import * as vscode from 'vscode';
import type { PlainHttpGuard } from '../connections/transport';

const stateKey = 'workflowRuns.plainHttpAllowed';

export function createPlainHttpGuard(globalState: vscode.Memento): PlainHttpGuard {
  const declined = new Set<string>();
  const pending = new Map<string, Promise<boolean>>();
  const allowed = () => new Set(globalState.get<string[]>(stateKey, []));

  return (connection, origin) => {
    const key = `${connection.name}@${origin}`;
    if (allowed().has(key)) return Promise.resolve(true);
    if (declined.has(key)) return Promise.resolve(false);
    // Several views may need the connection at once: one question, one answer for all of them.
    let answer = pending.get(key);
    if (!answer) {
      answer = ask(connection.name, origin).then(async (yes) => {
        if (yes) await globalState.update(stateKey, [...allowed(), key]);
        else declined.add(key);
        return yes;
      });
      answer.finally(() => pending.delete(key)).catch(() => undefined);
      pending.set(key, answer);
    }
    return answer;
  };
}

async function ask(name: string, origin: string): Promise<boolean> {
  const send = vscode.l10n.t('Send over HTTP');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Connection “{0}” uses plain HTTP ({1}).', name, origin),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Its credential would cross the network unencrypted, readable by anyone on the way. Use an https:// base URL if the server offers one. Nothing is sent to this host unless you choose “Send over HTTP”.',
      ),
    },
    send,
  );
  return choice === send;
}
