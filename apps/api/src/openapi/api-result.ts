import type { StreamableFile } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ResponseTypes } from './responses';

/** A reference to a response schema generated from `ResponseTypes` (response-schemas.json). */
export const schemaRef = (name: keyof ResponseTypes) => ({ $ref: `#/components/schemas/${name}` });

type Returning<T> = (...args: never[]) => T | Promise<T>;

/**
 * Documents a route's JSON body as the schema generated from `ResponseTypes[name]`, under each
 * status of `descriptions` (a string: 200); the compiler refuses a route that returns anything
 * else (a StreamableFile aside, for a route that can also answer in `alternatives`' media types,
 * e.g. `{ 'text/csv': 'the register as CSV' }`).
 */
export function ApiResult<K extends keyof ResponseTypes>(name: K, descriptions: string | Record<number, string>, alternatives: Record<string, string> = {}) {
  return <M extends Returning<ResponseTypes[K] | StreamableFile>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const content: Record<string, { schema: object }> = { 'application/json': { schema: schemaRef(name) } };
    for (const [mediaType, what] of Object.entries(alternatives)) content[mediaType] = { schema: { type: 'string', description: what } };
    for (const [status, description] of Object.entries(typeof descriptions === 'string' ? { 200: descriptions } : descriptions)) {
      ApiResponse({ status: Number(status), description, content })(target, key, descriptor);
    }
  };
}

/** Documents a route that answers with text in these media types (a stream, a file, metrics). */
export function ApiText(description: string, mediaTypes: Record<string, string>) {
  const content = Object.fromEntries(Object.entries(mediaTypes).map(([mediaType, what]) => [mediaType, { schema: { type: 'string', description: what } }]));
  return ApiResponse({ status: 200, description, content });
}
