// Hostile bodies for the body faults, written piece by piece with backpressure so the emulator
// never holds more than one small piece in memory, whatever size the fault asks for.
import type http from 'node:http';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';

const pieceBytes = 64 * 1024;
const spaces = Buffer.alloc(pieceBytes, 0x20);
const letters = Buffer.alloc(pieceBytes, 0x78); // "x"

/** Resolves when the response can take more (or is closed: then writing stops). */
function drained(res: http.ServerResponse): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes `count` copies of `piece`, waiting for the socket between them; false if it closed. */
async function repeat(res: http.ServerResponse, piece: Buffer, count: number): Promise<boolean> {
  for (let i = 0; i < count; i += 1) {
    if (res.destroyed || res.writableEnded) return false;
    res.write(piece);
    await drained(res);
  }
  return !res.destroyed;
}

/** Valid JSON of about `sizeBytes`: the answer, preceded by that much JSON whitespace. */
export async function writeHugeJson(res: http.ServerResponse, answer: Buffer, sizeBytes: number, headers: Record<string, string>): Promise<void> {
  const pieces = Math.max(1, Math.ceil(sizeBytes / pieceBytes));
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': String(pieces * pieceBytes + answer.length) });
  if (await repeat(res, spaces, pieces)) res.end(answer);
}

let spaceMember: Buffer | undefined;
/** One gzip member inflating to 1 MiB of spaces (about 1 KB): members concatenate into a bomb. */
function compressedMegabyte(): Buffer {
  spaceMember ??= zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
  return spaceMember;
}

/**
 * `Content-Encoding: gzip` over concatenated gzip members (valid gzip, RFC 1952 §2.2): `sizeBytes`
 * of spaces, then the answer, so the inflated body is valid JSON of that size.
 */
export async function writeGzipBomb(res: http.ServerResponse, answer: Buffer, sizeBytes: number, headers: Record<string, string>): Promise<void> {
  const member = compressedMegabyte();
  const tail = zlib.gzipSync(answer);
  const members = Math.max(1, Math.ceil(sizeBytes / (1024 * 1024)));
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(members * member.length + tail.length) });
  if (await repeat(res, member, members)) res.end(tail);
}

/** A body (or SSE line) that never ends: `prefix`, then letters until the client goes away. */
export async function writeEndless(res: http.ServerResponse, prefix: string): Promise<void> {
  res.write(prefix);
  while (await repeat(res, letters, 16)) {
    // Yield to the event loop between bursts so the emulator's other servers keep answering.
    await sleep(1);
  }
}

/** The body in ten pieces spread over `delayMs`. */
export async function writeSlowly(res: http.ServerResponse, body: Buffer, delayMs: number): Promise<void> {
  const pieces = 10;
  const size = Math.ceil(body.length / pieces) || 1;
  for (let at = 0; at < body.length; at += size) {
    if (res.destroyed) return;
    res.write(body.subarray(at, at + size));
    await sleep(delayMs / pieces);
  }
  if (!res.destroyed) res.end();
}
