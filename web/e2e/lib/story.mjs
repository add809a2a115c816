// Shared pieces of the end-to-end stories: the running server (set by stories.test.mjs before any
// story runs), one step of a story, the accessibility check and a few API helpers.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { waitFor } from './server.mjs';
import { artifacts, axe } from './browser.mjs';

/** e2e holds what every story shares: the server under test and what its API offers. */
export const e2e = { srv: null, hasExtend: false };

/** long is the wait for a state that needs the cluster (a deploy reaching Running). */
export const long = { timeout: 120_000 };

/** step runs one step of a story; on failure it saves a screenshot of each page given. */
export function step(name, pages, fn) {
  it(name, { timeout: 300_000 }, async () => {
    try {
      await fn();
    } catch (e) {
      mkdirSync(artifacts, { recursive: true });
      for (const [i, p] of pages().entries()) {
        await p?.screenshot({ path: join(artifacts, `FAILED-${name.replace(/\W+/g, '-').slice(0, 60)}-${i}.png`), fullPage: true }).catch(() => {});
      }
      throw e;
    }
  });
}

/** checkA11y fails on serious or critical axe-core violations of the current screen. */
export async function checkA11y(page, screen) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${screen}: axe-core found serious or critical violations:\n${JSON.stringify(v, null, 2)}`);
}

export async function versionOf(name) {
  const r = await e2e.srv.api.get(`/api/v1/projects/${e2e.srv.hello.id}/versions?q=${encodeURIComponent(name)}`);
  return r.items.find((v) => v.name === name);
}

/** stopAll stops every deployed demo version through the API and waits until none runs. */
export async function stopAll() {
  const r = await e2e.srv.api.get(`/api/v1/projects/${e2e.srv.hello.id}/versions`);
  for (const v of r.items) {
    if (v.desiredState === 'Deployed') await e2e.srv.api.post(`/api/v1/projects/${e2e.srv.hello.id}/versions/${v.id}/stop`);
  }
  await waitFor('every demo version stopped', async () => {
    const d = await e2e.srv.api.get('/api/v1/deployments');
    return d.items.length === 0;
  }, 120_000);
}

export function row(page, scope, version) {
  return scope.getByRole('row').filter({ has: page.getByText(version, { exact: true }) });
}
