import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS, whoMayCall } from '../access';
import schemas from './response-schemas.json';
import { schemaRef } from './api-result';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

/** What each error status means on any route; a route's own description wins. */
const ERRORS: Record<number, string> = {
  400: 'Malformed input (body, query, path or header): each field and its reason in `errors`.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The key's role may not call this route (or an LP key asked for another LP's account).",
  404: 'Unknown fund (or call, LP, allocation, project, facility, event).',
  429: 'Too many requests from this key: wait for the `Retry-After` seconds.',
};

export const documentConfig = () =>
  new DocumentBuilder()
    .setTitle('fundsim')
    .setDescription(
      'Event-sourced simulator of a U.S.-Japan sovereign-style fund and its retail LPs. Money is a decimal string; dates are `YYYY-MM-DD`. ' +
        'Every error is `ErrorBody`: a stable `code` for programs and a `message` for people. A malformed value is a 400 (including an impossible date such as 2027-13-45); ' +
        "a well-formed request that the fund's rules refuse is a 422; an unknown fund or entity a 404; a conflict with another write a 409.",
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED (proprietary)', 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license')
    .setOpenAPIVersion('3.1.0')
    .addServer('/', 'The server this document was served from (npm start: http://localhost:3000)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (fundsim keys create); or send it as X-API-Key.' })
    .addSecurityRequirements('bearer')
    .build();

/**
 * Completes the document Nest generates: the response schemas generated from the TypeScript
 * types, the error responses every route can give (by its rule in the access table), and who may
 * call each route.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(schemas as Record<string, object>) } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const rule = ACCESS[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`];
      if (!rule) throw new Error(`${method.toUpperCase()} ${path} is not in the access table`);
      const statuses = [400, ...(path.includes('{fundId}') ? [404] : []), ...(rule.roles === 'public' ? [] : [401, 403, 429])];
      for (const status of statuses) operation.responses[status] ??= { description: ERRORS[status] };
      withErrorBodies(operation.responses);
      if (rule.roles === 'public') operation.security = [];
      operation.description = [operation.description, `Who may call it: ${whoMayCall(rule)}.`].filter(Boolean).join('\n\n');
    }
  }
  return document;
}

/** Every 4xx/5xx response carries an ErrorBody. */
function withErrorBodies(responses: Responses): void {
  for (const [status, response] of Object.entries(responses)) {
    if (response && Number(status) >= 400 && !('$ref' in response) && !response.content)
      response.content = { 'application/json': { schema: schemaRef('ErrorBody') } };
  }
}
