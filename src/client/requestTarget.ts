// Where a request goes and what the log names of it. A URL object per request (parsing, then
// origin, pathname and search each built anew) was a noticeable part of a keep-alive status read:
// a plain URL (no query, no dot segment, nothing URL would re-encode, as providers build them) is
// split as text, and only its origin goes through URL, once, to be normalised as URL would.

export interface RequestTarget {
  /** Picks the dispatcher; undici wants it in every request (a proxy agent serves many origins). */
  origin: string;
  /** Path and query as sent. */
  path: string;
  /** What log lines name: the path and the names (never the values) of query parameters. */
  logged: string;
}

type Query = Record<string, string | number | boolean | undefined>;

/** Scheme and host (no path, query, fragment, backslash or space), then a path URL keeps as it is. */
const plainUrl = /^(https?:\/\/[^/?#\\\s]+)(\/[\w\-.~%!$&'()*+,;=:@/]*)?$/;
/** Origins as URL normalises them (case, default port), by their text: a handful per window. */
const origins = new Map<string, string>();

export function requestTarget(rawUrl: string, query: Query | undefined): RequestTarget {
  const plain = plainParts(rawUrl, query);
  if (plain) {
    const path = plain[2] || '/';
    return { origin: originOf(plain[1]!), path, logged: path };
  }
  const url = withQuery(rawUrl, query);
  return { origin: url.origin, path: `${url.pathname}${url.search}`, logged: loggedPath(url) };
}

/** The path and the names (not values) of query parameters: values may hold tokens or user data. */
export function logPath(rawUrl: string, query?: Record<string, unknown>): string {
  const plain = plainParts(rawUrl, query);
  if (plain) return plain[2] || '/';
  try {
    return loggedPath(withQuery(rawUrl, query));
  } catch {
    return '(invalid URL)';
  }
}

/** The URL with the query's defined values set (each replaces a parameter of that name). */
function withQuery(rawUrl: string, query: Record<string, unknown> | undefined): URL {
  const url = new URL(rawUrl);
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/** The path and each parameter name once, in the order of first appearance. */
function loggedPath(url: URL): string {
  const keys = new Set(url.searchParams.keys());
  return keys.size > 0 ? `${url.pathname}?${[...keys].join('&')}` : url.pathname;
}

/** Origin and path of a URL that needs no parser (dot segments, `.` or `%2e`, are URL's to resolve). */
function plainParts(rawUrl: string, query: Record<string, unknown> | undefined): RegExpExecArray | null {
  if (hasValues(query) || rawUrl.includes('/.') || /%2e/i.test(rawUrl)) return null;
  return plainUrl.exec(rawUrl);
}

function originOf(text: string): string {
  let origin = origins.get(text);
  if (origin === undefined) {
    origin = new URL(text).origin;
    // Bounded all the same: base URLs typed into settings come and go.
    if (origins.size >= 64) origins.clear();
    origins.set(text, origin);
  }
  return origin;
}

function hasValues(query: Record<string, unknown> | undefined): boolean {
  for (const key in query) if (query[key] !== undefined) return true;
  return false;
}
