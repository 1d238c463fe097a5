/**
 * Generates the JSON schemas of the API's responses from their TypeScript types
 * (apps/api/src/openapi/responses.ts) into apps/api/src/openapi/response-schemas.json, which the
 * API merges into its OpenAPI document. Run with `npm run openapi:schemas` after changing a
 * response type; the contract test fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = join(__dirname, '..');
export const SCHEMAS_FILE = join(ROOT, 'apps/api/src/openapi/response-schemas.json');

type Schema = Record<string, unknown>;

/** The schemas, keyed by name: every named type the responses use, and each entry of ResponseTypes. */
export function generateResponseSchemas(): Record<string, Schema> {
  const generated = createGenerator({
    path: join(ROOT, 'apps/api/src/openapi/responses.ts'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    type: 'ResponseTypes',
    expose: 'export',
    jsDoc: 'extended',
    skipTypeCheck: true,
    // A field the type does not declare is drift: the contract test's validation refuses it.
    additionalProperties: false,
  }).createSchema('ResponseTypes');
  const { ResponseTypes: entries, ...definitions } = generated.definitions as Record<string, Schema>;
  const schemas: Record<string, Schema> = { ...definitions };
  for (const [name, schema] of Object.entries(entries.properties as Record<string, Schema>)) {
    if (schema.$ref !== `#/definitions/${name}`) schemas[name] = schema;
  }
  // openapi-typescript cannot type a union that contains itself (TS2502): any JSON value, described.
  schemas.JsonValue = { description: (schemas.JsonValue as Schema).description };
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.parse(JSON.stringify(sorted).replaceAll('"#/definitions/', '"#/components/schemas/'));
}

export const schemasFileText = (): string => `${JSON.stringify(generateResponseSchemas(), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(SCHEMAS_FILE, schemasFileText());
  console.log(`wrote ${SCHEMAS_FILE}`);
}
