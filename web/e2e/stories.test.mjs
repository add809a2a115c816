// The dashboard's end-to-end stories in Chromium against the real server in local mode. They
// read like a user's story: elements are found by role and accessible name. Waits are for
// states with generous timeouts; nothing sleeps to assert. A failing step saves a screenshot
// into e2e-artifacts/.
//
// Each story lives in e2e/stories/<name>.mjs. ONEKO_E2E_ONLY=doer,admin runs only those stories
// (one server start, the stories in the order listed below).
import { after, before } from 'node:test';
import { rmSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { artifacts } from './lib/browser.mjs';
import { e2e } from './lib/story.mjs';

// Add a story here when its file is added.
const stories = ['viewer', 'doer', 'doer-version', 'admin', 'two-browsers', 'phone'];
const only = (process.env.ONEKO_E2E_ONLY || '').split(',').filter(Boolean);

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  e2e.srv = await startServer();
  const doc = await (await fetch(e2e.srv.url + '/api/v1/openapi.json')).json();
  e2e.hasExtend = Object.keys(doc.paths).some((p) => p.endsWith('/extend'));
}, { timeout: 70 * 60_000 });

after(async () => {
  await e2e.srv?.stop();
});

for (const name of stories) {
  if (only.length && !only.includes(name)) continue;
  await import(`./stories/${name}.mjs`);
}
