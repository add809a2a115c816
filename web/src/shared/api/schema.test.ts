// The API types are generated from web/openapi.json (which a Go test keeps equal to the
// server's document): this fails when schema.d.ts is stale. Fix: npm run gen:api.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe('generated API types', () => {
  it('match web/openapi.json', async () => {
    const doc = JSON.parse(readFileSync(here('../../../openapi.json'), 'utf8'));
    const want = astToString(await openapiTS(doc));
    const got = readFileSync(here('./schema.d.ts'), 'utf8');
    const strip = (s: string) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
    expect(strip(got), 'src/shared/api/schema.d.ts is stale: run `npm run gen:api` in web/').toBe(strip(want));
  });
});
