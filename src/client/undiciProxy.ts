// The proxy-capable parts of undici, loaded the same way as ./undici (deep paths, not the package
// entry that would bundle fetch, WebSocket, caches and mocks). Importing ./undici first matters: it
// gives every dispatcher (ProxyAgent and Agent included) its request()/stream() methods.
import type { Agent as AgentType, ProxyAgent as ProxyAgentType } from 'undici';
import './undici';

/* eslint-disable @typescript-eslint/no-require-imports -- deep paths have no ES module or type entry */
const AgentImpl = require('undici/lib/dispatcher/agent');
const ProxyAgentImpl = require('undici/lib/dispatcher/proxy-agent');
/* eslint-enable @typescript-eslint/no-require-imports */

export const Agent: typeof AgentType = AgentImpl;
export type Agent = AgentType;
export const ProxyAgent: typeof ProxyAgentType = ProxyAgentImpl;
export type ProxyAgent = ProxyAgentType;
