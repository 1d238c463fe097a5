import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** Largest request body accepted (413 above it): a command is a few hundred bytes. */
export const BODY_LIMIT = 100 * 1024;
/** Deepest JSON nesting accepted (400 deeper): the deepest command is three levels. */
export const MAX_DEPTH = 16;

/** C0 and C1 controls, and the bidirectional overrides and isolates that disguise text. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const bad = (message: string, field = 'body') =>
  new BadRequestException({ statusCode: 400, code: 'VALIDATION_FAILED', message: `${field}: ${message}`, errors: [{ field, reason: message }] });

/** Nesting depth of a JSON text, counted without parsing it (strings skipped). */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Refuses control and bidi-override characters, and empty strings, anywhere in a parsed body. */
function checkStrings(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (FORBIDDEN.test(value)) throw bad('control or bidirectional-override characters are not accepted', path);
    if (value.trim().length === 0) throw bad('must not be empty', path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkStrings(item, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN.test(key)) throw bad('control or bidirectional-override characters are not accepted in keys', path);
      checkStrings(item, path === 'body' ? key : `${path}.${key}`);
    }
  }
}

/**
 * The HTTP edge: JSON bodies only (anything else is a 415), at most BODY_LIMIT bytes (413),
 * MAX_DEPTH deep, in UTF-8, `__proto__` and `constructor` keys refused (400), no control or
 * bidi characters in any string, query or path; security headers on every answer.
 */
export function harden(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const charset = /charset=([^;\s]+)/i.exec(String(request.headers['content-type'] ?? ''))?.[1];
    if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') return done(bad(`charset ${charset} is not accepted: send UTF-8`, 'Content-Type'), undefined);
    const text = body as string;
    if (text.length === 0) return done(null, {});
    // Bytes that are not UTF-8 were decoded to U+FFFD: refuse them rather than store the guess.
    if (text.includes('\ufffd')) return done(bad('the body is not valid UTF-8'), undefined);
    if (depthOf(text) > MAX_DEPTH) return done(bad(`JSON nested deeper than ${MAX_DEPTH} levels`), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text, (key, value: unknown) => {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new SyntaxError(`key "${key}" is not accepted`);
        return value;
      });
    } catch (error) {
      return done(bad(`not valid JSON: ${(error as Error).message}`), undefined);
    }
    try {
      checkStrings(parsed, 'body');
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, parsed);
  });
  fastify.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') throw bad(`Content-Encoding ${encoding} is not accepted: send the body uncompressed`, 'Content-Encoding');
    let url: string;
    try {
      url = decodeURIComponent(request.url);
    } catch {
      throw bad('the URL is not valid percent-encoded UTF-8', 'url');
    }
    if (FORBIDDEN.test(url)) throw bad('control or bidirectional-override characters are not accepted', 'url');
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    const path = request.url.split('?')[0];
    if (path === '/' || path.startsWith('/web/')) {
      // The dashboard: its own scripts, styles and API only; charts draw on canvas.
      reply.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    } else if (!path.startsWith('/docs')) {
      reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      reply.header('Cache-Control', 'no-store');
    }
  });
}
