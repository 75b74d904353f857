// A buffered body as text, for JSON: in the charset its Content-Type names, without a byte order
// mark. Platforms and the proxies before them answer in UTF-8 nearly always, but a BOM (Windows
// servers) or a `charset=utf-16le` must not turn a valid answer into "not JSON".

/**
 * `body` decoded as WHATWG decoders do: a byte order mark decides (and is dropped), then the
 * `charset` of `contentType`, then UTF-8 — also for a charset TextDecoder does not know.
 */
export function bodyText(body: Buffer, contentType: string | undefined): string {
  const fromBom = bomEncoding(body);
  const encoding = fromBom ?? charsetOf(contentType);
  // Buffer's own UTF-8 decoding is the fast path (nearly every answer); it keeps a BOM, dropped here.
  if (encoding === undefined || encoding === 'utf-8' || encoding === 'utf8') return body.toString('utf8', fromBom ? 3 : 0);
  return decodedAs(encoding, body) ?? body.toString('utf8');
}

/** The encoding a byte order mark at the start of `body` names. */
function bomEncoding(body: Buffer): string | undefined {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The lower-case `charset` parameter of a Content-Type, quoted or not. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType === undefined ? null : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** `body` decoded as `label` (TextDecoder drops a BOM itself); undefined when TextDecoder does not know the label. */
function decodedAs(label: string, body: Buffer): string | undefined {
  let decoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return undefined;
  }
  return decoder.decode(body);
}
