// The one demo Dify app (key `app-demo`): a "workflow" mode app whose input form has every common
// field type. Which path a run takes is chosen by the `scenario` input, so tests reach each case
// with the one key:
//
//   scenario      what the run does (durations at speed 1)
//   ------------  -----------------------------------------------------------------------------
//   normal        5 nodes succeed (start → llm with 8 text_chunks → code → http-request → end), ~4 s
//   fail          the http-request node fails → node status failed, run `failed` with an error
//   partial       the http-request node ends in `exception` (error branch continues) → run
//                 `partial-succeeded`, exceptions_count 1
//   slow          the llm node runs ~45 s, a text_chunk every 1.5 s; pings keep the stream alive.
//                 Use it for stop tests (`POST /workflows/tasks/{task_id}/stop`)
//   pause         reaches a Human Input node: `human_input_required` then `workflow_paused`, run
//                 status `paused` (it stays paused)
//   error-event   after a few text chunks an `error` event (HTTP status stays 200), run `failed`;
//                 in blocking mode the answer is HTTP 500 `internal_server_error`
//   iterate       start → an iteration over 3 items (iteration_started/next/completed, one code
//                 node execution per round, each its own execution id) → the http-request node
//                 fails once (node_retry, retry_index 1) then succeeds → end
//
// Every node_finished carries the node's `inputs`, `outputs` and `process_data` (an LLM node's
// prompts and usage, an HTTP node's request), as Dify's stream does.
//
// Published workflow version id: `publishedWorkflowId`; `draftWorkflowId` is a draft (400
// bad_request on `POST /workflows/{workflow_id}/run`); any other uuid is 404 not_found.
import { isPlainObject } from '../core/router';

export const difyDemoKey = 'app-demo';
/** The app's own id (a UUID, as Dify's `sys.app_id`): never the API key, which is a secret. */
export const difyAppId = '9a7d3c1e-4b2f-4e8a-a6d5-3f1c0b7e2d94';
export const publishedWorkflowId = '5f3c8a61-2b7e-4d09-9c41-7e2a6b1d0c58';
export const draftWorkflowId = '0b9e4d72-6a15-4c3f-8e27-d1f4a93c6e05';

export const scenarios = ['normal', 'fail', 'partial', 'slow', 'pause', 'error-event', 'iterate'] as const;
export type Scenario = (typeof scenarios)[number];

export const appInfo = {
  name: 'Release notes writer',
  description: 'Drafts release notes from a topic and posts them to the changelog.',
  tags: ['demo', 'writing'],
  mode: 'workflow',
  author_name: 'Workflow Runs emulator',
};

type FormField = {
  variable: string;
  label: string;
  required: boolean;
  default?: unknown;
  max_length?: number;
  options?: string[];
};
type FormEntry = Record<string, FormField>;

export const userInputForm: FormEntry[] = [
  { 'text-input': { variable: 'topic', label: 'Topic', required: true, max_length: 200, default: '' } },
  { paragraph: { variable: 'notes', label: 'Notes for the writer', required: false, max_length: 4000, default: '' } },
  { select: { variable: 'tone', label: 'Tone', required: false, options: ['neutral', 'friendly', 'formal'], default: 'neutral' } },
  { number: { variable: 'max_items', label: 'Maximum items', required: false, default: 5 } },
  { checkbox: { variable: 'include_summary', label: 'Include a summary', required: false, default: true } },
  { json_object: { variable: 'metadata', label: 'Metadata', required: false, default: '{"release": "1.4.0"}' } },
  { select: { variable: 'scenario', label: 'Emulator scenario', required: false, options: [...scenarios], default: 'normal' } },
  { file: { variable: 'attachment', label: 'Attachment', required: false } },
  { 'file-list': { variable: 'attachments', label: 'More attachments', required: false } },
];

export const appParameters = {
  opening_statement: null,
  suggested_questions: [],
  suggested_questions_after_answer: { enabled: false },
  speech_to_text: { enabled: false },
  text_to_speech: { enabled: false, voice: '', language: '', autoPlay: 'disabled' },
  retriever_resource: { enabled: false },
  annotation_reply: { enabled: false },
  more_like_this: { enabled: false },
  sensitive_word_avoidance: { enabled: false },
  user_input_form: userInputForm,
  file_upload: { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } },
  system_parameters: { file_size_limit: 15, image_file_size_limit: 10, audio_file_size_limit: 50, video_file_size_limit: 100, workflow_file_upload_limit: 10 },
};

/**
 * Validates inputs against the form the way Dify does (messages modelled on Dify's) and fills
 * defaults. Returns the error message, or the completed inputs.
 */
export function checkInputs(inputs: Record<string, unknown>): { error: string } | { inputs: Record<string, unknown> } {
  const out: Record<string, unknown> = { ...inputs };
  for (const entry of userInputForm) {
    const [type, field] = Object.entries(entry)[0]!;
    const value = inputs[field.variable];
    const absent = value === undefined || value === null || value === '';
    if (absent) {
      if (field.required) return { error: `${field.variable} is required in input form` };
      if (field.default !== undefined) out[field.variable] = type === 'json_object' && typeof field.default === 'string' ? JSON.parse(field.default) : field.default;
      continue;
    }
    switch (type) {
      case 'text-input':
      case 'paragraph':
        if (typeof value !== 'string') return { error: `${field.variable} in input form must be a string` };
        if (field.max_length && value.length > field.max_length) return { error: `${field.variable} in input form must be less than ${field.max_length} characters` };
        break;
      case 'select':
        if (typeof value !== 'string' || !field.options!.includes(value)) return { error: `${field.variable} in input form must be one of the following: ${JSON.stringify(field.options)}` };
        break;
      case 'number':
        if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) return { error: `${field.variable} in input form must be a valid number` };
        break;
      case 'checkbox':
        if (typeof value !== 'boolean') return { error: `${field.variable} in input form must be a boolean` };
        break;
      case 'json_object':
        if (!isPlainObject(value)) return { error: `${field.variable} in input form must be a JSON object` };
        break;
      case 'file':
        if (!isPlainObject(value) || typeof value.transfer_method !== 'string') return { error: `${field.variable} in input form must be a file` };
        break;
      case 'file-list':
        if (!Array.isArray(value) || !value.every((item) => isPlainObject(item) && typeof item.transfer_method === 'string')) return { error: `${field.variable} in input form must be a list of files` };
        break;
    }
  }
  return { inputs: out };
}

export interface NodePlan {
  node_id: string;
  node_type: string;
  title: string;
  durationMs: number;
  status: 'succeeded' | 'failed' | 'exception';
  error?: string;
  tokens?: number;
  /** Text streamed as text_chunk events while the node runs. */
  chunks?: string[];
  /** Human Input node: the run pauses here. */
  pauses?: boolean;
  /** Iteration node: runs `inner` once per round, over this many items. */
  rounds?: number;
  inner?: NodePlan;
  /** Attempts that fail (node_retry each) before the one that finishes. */
  retries?: number;
}

const words = (topic: string): string[] =>
  `## ${topic}\n\n- Faster invoice sync with retries\n- New usage rating dashboard\n- Fixed rounding in credit memos\n- Clearer error messages for callouts\n`.split(/(?<=\s)/);

/** The nodes a run of `scenario` goes through, in order. */
export function planFor(scenario: Scenario, topic: string): NodePlan[] {
  const text = words(topic);
  const chunk = (n: number): string[] => {
    const out: string[] = [];
    const per = Math.ceil(text.length / n);
    for (let i = 0; i < text.length; i += per) out.push(text.slice(i, i + per).join(''));
    return out;
  };
  const start: NodePlan = { node_id: '1718010000001', node_type: 'start', title: 'Start', durationMs: 60, status: 'succeeded' };
  const llm: NodePlan = { node_id: '1718010000002', node_type: 'llm', title: 'Draft release notes', durationMs: 2400, status: 'succeeded', tokens: 412, chunks: chunk(8) };
  const code: NodePlan = { node_id: '1718010000003', node_type: 'code', title: 'Format markdown', durationMs: 400, status: 'succeeded' };
  const http: NodePlan = { node_id: '1718010000004', node_type: 'http-request', title: 'Post to changelog', durationMs: 700, status: 'succeeded' };
  const end: NodePlan = { node_id: '1718010000005', node_type: 'end', title: 'End', durationMs: 50, status: 'succeeded' };
  switch (scenario) {
    case 'normal':
      return [start, llm, code, http, end];
    case 'fail':
      return [start, llm, code, { ...http, status: 'failed', error: 'HTTP request failed with status code 503: Service Unavailable' }];
    case 'partial':
      return [start, llm, code, { ...http, status: 'exception', error: 'Request timed out after 10s; default value used' }, end];
    case 'slow':
      return [start, { ...llm, durationMs: 45_000, tokens: 2480, chunks: chunk(30) }, code, http, end];
    case 'pause':
      return [start, llm, { node_id: '1718010000006', node_type: 'human-input', title: 'Approve release notes', durationMs: 300, status: 'succeeded', pauses: true }];
    case 'error-event':
      return [start, { ...llm, durationMs: 60_000, chunks: chunk(40) }];
    case 'iterate':
      return [
        start,
        { node_id: '1718010000007', node_type: 'iteration', title: 'For each item', durationMs: 0, status: 'succeeded', rounds: 3, inner: { ...code, title: 'Format item', durationMs: 200 } },
        { ...http, retries: 1 },
        end,
      ];
  }
}

/** The moment (emulated ms after the start) an error-event run emits its `error`. */
export const errorEventAtMs = 1500;
