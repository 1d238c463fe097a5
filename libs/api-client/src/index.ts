/**
 * The typed client of the fundsim API: openapi-fetch over the types openapi-typescript generates
 * from the API's OpenAPI document (`npm run openapi:client`; the contract test keeps the file
 * current). The dashboard and the contract test call the API through it.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi.generated';

export type { components, paths };
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

/** A client of the API at `baseUrl`, acting with `key` (none: only the public routes answer). */
export function apiClient(baseUrl: string, key?: string, fetchImpl?: typeof fetch): ApiClient {
  return createClient<paths>({ baseUrl, headers: key ? { Authorization: `Bearer ${key}` } : {}, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}
