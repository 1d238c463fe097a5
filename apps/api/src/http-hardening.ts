import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Largest request body accepted (413 above it): a command is a few hundred bytes. */
export const BODY_LIMIT = 100 * 1024;
/** Deepest JSON nesting accepted (400 deeper): the deepest command is three levels. */
export const MAX_DEPTH = 16;

/**
 * Characters refused in every string of a body, in its keys, and in the URL: controls (C0, C1),
 * format characters (zero-width space and joiners, the BOM, soft hyphen, bidi overrides and
 * isolates: invisible, they make two equal-looking ids differ or disguise text), the line and
 * paragraph separators (they break lines in logs and CSV readers that split on them), and
 * unpaired surrogates (not text: they cannot be encoded in UTF-8, so the store and every export
 * would carry a U+FFFD instead). A price of this: an emoji sequence joined by U+200D is refused.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const FORBIDDEN_REASON = 'control, invisible format (zero-width, BOM, bidi) or line-separator characters, and unpaired surrogates, are not accepted';

const bad = (message: string, field = 'body') =>
  new BadRequestException({ statusCode: 400, code: 'VALIDATION_FAILED', message: `${field}: ${message}`, errors: [{ field, reason: message }] });

const unsupported = (message: string) => new UnsupportedMediaTypeException({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message });

/** A container the scan is inside: an object's keys so far, or an array's index; where it sits in its parent. */
interface Frame {
  keys?: Set<string>;
  expectKey: boolean;
  /** The object's last key, or the array's index. */
  at: string | number;
  parent?: Frame;
  /** Its key or index in the parent. */
  in?: string | number;
}

/** `a.b[2].c`: a frame's path, built only when a refusal names it (building it at every level would be quadratic). */
function pathOf(frame: Frame | undefined, last: string): string {
  const parts: (string | number)[] = [last];
  for (let f = frame; f?.in !== undefined; f = f.parent) parts.unshift(f.in);
  return parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/**
 * One pass over a JSON text, without parsing it: its nesting depth (the scan stops past
 * `maxDepth`), and the path of the first key that an object repeats (JSON.parse keeps the last
 * one silently, so what was checked and what was meant could differ). Keys are compared decoded
 * (`"a"` and `"\u0061"` are one key). Linear: each character is looked at once, each key decoded
 * once. Only meaningful for a text that JSON.parse accepts.
 */
export function scanJson(text: string, maxDepth = Infinity): { depth: number; duplicate?: string } {
  const root: Frame = { expectKey: false, at: 0 };
  let top = root;
  let depth = 0;
  let max = 0;
  let duplicate: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its end, skipping escapes.
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (top.keys && top.expectKey) {
        const raw = text.slice(start + 1, i);
        let key = raw;
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(`"${raw}"`) as string;
          } catch {
            key = raw;
          }
        }
        if (top.keys.has(key) && duplicate === undefined) duplicate = pathOf(top, key);
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      top = { keys: c === 0x7b ? new Set() : undefined, expectKey: c === 0x7b, at: 0, parent: top, in: top === root ? undefined : top.at };
      max = Math.max(max, ++depth);
      if (depth > maxDepth) return { depth: max, duplicate };
    } else if (c === 0x7d || c === 0x5d) {
      top = top.parent ?? root;
      depth = Math.max(0, depth - 1);
    } else if (c === 0x2c) {
      if (top.keys) top.expectKey = true;
      else if (typeof top.at === 'number') top.at++;
    }
  }
  return { depth: max, duplicate };
}

/** The charset parameter of a Content-Type, unquoted (RFC 9110 allows a quoted value); undefined without one. */
export function charsetOf(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...rest] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const value = rest.join('=').trim();
    return (value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value).trim();
  }
  return undefined;
}

/**
 * Refuses control, format and separator characters and unpaired surrogates, empty strings, and
 * null (no request field takes it: an optional one is left out), anywhere in a parsed body.
 */
function checkStrings(value: unknown, path: string): void {
  if (value === null) throw bad('null is not a value here: leave an optional field out', path);
  if (typeof value === 'string') {
    if (FORBIDDEN.test(value)) throw bad(FORBIDDEN_REASON, path);
    if (value.trim().length === 0) throw bad('must not be empty', path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkStrings(item, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN.test(key)) throw bad(`${FORBIDDEN_REASON} in keys`, path);
      checkStrings(item, path === 'body' ? key : `${path}.${key}`);
    }
  }
}

/**
 * The HTTP edge: JSON bodies only (anything else is a 415), at most BODY_LIMIT bytes (413),
 * MAX_DEPTH deep, in UTF-8 (another charset is a 415), no key twice in an object, `__proto__`
 * and `constructor` keys refused (400), no FORBIDDEN character in any string, key, query or
 * path; security headers on every answer.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function harden(fastify: FastifyInstance): void {
  // Security headers through helmet, as each answer is sent, so that every answer has them (a refusal too), chosen
  // by what is asked for: the dashboard may load its own scripts, styles and API; an API answer
  // nothing (and is never cached); the OpenAPI page (Swagger UI, inline scripts) gets helmet's
  // headers but no content security policy.
  void fastify.register(helmet, { global: false });
  fastify.addHook('onSend', async (request, reply) => {
    const path = request.url.split('?')[0];
    const page = path === '/' || path.startsWith('/web/');
    const docs = path.startsWith('/docs');
    await reply.helmet({
      contentSecurityPolicy: docs ? false : { useDefaults: false, directives: page ? DASHBOARD_CSP : API_CSP },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });
    if (!page && !docs) reply.header('Cache-Control', 'no-store');
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const charset = charsetOf(String(request.headers['content-type'] ?? ''));
    if (charset !== undefined && !/^utf-?8$/i.test(charset))
      return done(unsupported(`charset ${JSON.stringify(charset)} is not accepted: send UTF-8`), undefined);
    // Bytes that are not UTF-8 are refused rather than stored as a guess (a real U+FFFD passes).
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(bad('the body is not valid UTF-8'), undefined);
    }
    if (text.length === 0) return done(null, {});
    const { depth, duplicate } = scanJson(text, MAX_DEPTH);
    if (depth > MAX_DEPTH) return done(bad(`JSON nested deeper than ${MAX_DEPTH} levels`), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text, (key, value: unknown) => {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new SyntaxError(`key "${key}" is not accepted`);
        return value;
      });
    } catch (error) {
      return done(bad(`not valid JSON: ${(error as Error).message}`), undefined);
    }
    if (duplicate !== undefined) return done(bad('appears more than once in its object', duplicate), undefined);
    // Every request body is an object of fields: a bare string, number, array or null is not one.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return done(bad('the body must be a JSON object of fields'), undefined);
    try {
      checkStrings(parsed, 'body');
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, parsed);
  });
  fastify.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity')
      throw bad(`Content-Encoding ${encoding} is not accepted: send the body uncompressed`, 'Content-Encoding');
    let url: string;
    try {
      url = decodeURIComponent(request.url);
    } catch {
      throw bad('the URL is not valid percent-encoded UTF-8', 'url');
    }
    if (FORBIDDEN.test(url)) throw bad(FORBIDDEN_REASON, 'url');
  });
}

/** The dashboard: its own scripts, styles and API only; charts draw on canvas. */
const DASHBOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
/** An API answer: nothing to load, never framed. */
const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };
