// The dashboard's figures, printed and never asserted (make web-bench):
//   1. JS + CSS of the first load, gzipped (goal ≤ 250 KB);
//   2. navigation to a rendered home page with 1,000 projects × 50 versions, 100 deployed
//      (goal < 1 s), in headless Chromium;
//   3. a status change in the worker to the DOM of an open page (goal < 500 ms): the worker
//      stamps deployedAt just before it records Running; the page notes when the event arrives
//      on its stream and when it shows it.
// Each figure is split where it can be: the API's answer time per request (measured from Node,
// outside the browser), and in the browser the time of the home page's API call against the
// whole navigation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startServer, waitFor } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// The scale can be lowered (BENCH_PROJECTS, BENCH_VERSIONS, BENCH_DEPLOYED) for a store that
// cannot answer the full one in time.
const scale = {
  projects: Number(process.env.BENCH_PROJECTS || 1000),
  versions: Number(process.env.BENCH_VERSIONS || 50),
  deployed: Number(process.env.BENCH_DEPLOYED || 100),
};
const dataDir = mkdtempSync(join(tmpdir(), 'oneko-bench-'));
const key = randomBytes(32).toString('hex');
console.log(`seeding ${scale.projects} projects × ${scale.versions} versions (${scale.deployed} deployed)…`);
const t0 = Date.now();
execFileSync('go', ['run', './web/e2e/seed', '-data-dir', dataDir, '-projects', String(scale.projects), '-versions', String(scale.versions), '-deployed', String(scale.deployed)], {
  cwd: root,
  env: { ...process.env, ONEKO_SECRET_KEY: key },
  stdio: 'inherit',
});
console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const srv = await startServer({ dataDir, env: { ONEKO_SECRET_KEY: key }, readyTimeout: 600_000, logFile: join(tmpdir(), 'oneko-bench.log') });
const ctx = await openBrowser();
try {
  const user = await srv.api.createUser('bench', 'VIEWER');

  // 0. The API alone: each request the home, projects and search pages make, 3 times.
  const apiTimes = {};
  for (const path of ['/api/v1/deployments', '/api/v1/projects?limit=500', '/api/v1/search?q=1.2&limit=20', `/api/v1/projects/${srv.hello.id}/versions`]) {
    const runs = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      bytes = JSON.stringify(await srv.api.get(path)).length;
      runs.push(Date.now() - t);
    }
    apiTimes[path] = { runs, bytes };
  }

  const page = await ctx.newPage();
  // Note when a version's Running status arrives on the page's event stream (figure 3).
  await page.addInitScript(() => {
    window.__eventAt = {};
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (type, fn, opts) {
      const wrapped = type === 'version.status'
        ? (m) => {
            try {
              const d = JSON.parse(m.data);
              if (d.deployment?.status === 'Running' && !window.__eventAt[d.id]) window.__eventAt[d.id] = Date.now();
            } catch {
              // not JSON: the app ignores it too
            }
            return fn.call(this, m);
          }
        : fn;
      return add.call(this, type, wrapped, opts);
    };
  });
  await signIn(page, srv.url, user);

  // 1. First load: every script and style sheet the home page loads, gzipped.
  const fresh = await openBrowser();
  const p1 = await fresh.newPage();
  const bodies = [];
  p1.on('response', async (r) => {
    const type = r.request().resourceType();
    if (type === 'script' || type === 'stylesheet') bodies.push(r.body().then((b) => ({ type, size: gzipSync(b, { level: 9 }).length })).catch(() => null));
  });
  await signIn(p1, srv.url, user);
  await p1.getByRole('heading', { name: 'Active deployments' }).waitFor();
  const loaded = (await Promise.all(bodies)).filter(Boolean);
  const js = loaded.filter((x) => x.type === 'script').reduce((n, x) => n + x.size, 0);
  const css = loaded.filter((x) => x.type === 'stylesheet').reduce((n, x) => n + x.size, 0);
  await fresh.close();

  // 2. Navigation to a rendered home page (all 100 deployed versions in the DOM).
  const times = [];
  const apiInPage = [];
  for (let i = 0; i < 5; i++) {
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(srv.url + '/');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-version]').length >= n, scale.deployed, { timeout: 120_000 });
    times.push(Date.now() - start);
    apiInPage.push(
      await page.evaluate(() => {
        const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/v1/deployments'));
        return r ? Math.round(r.responseEnd - r.startTime) : -1;
      }),
    );
  }

  // 3. Status change in the worker → DOM: deploy a demo version with the page open.
  const versions = await srv.api.get(`/api/v1/projects/${srv.hello.id}/versions`);
  const v = versions.items.find((x) => x.name === '1.0.0');
  await page.goto(`${srv.url}/projects/${srv.hello.id}/versions?q=1.0.0`);
  await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
  await page.evaluate(() => {
    window.__runningAt = null;
    new MutationObserver(() => {
      if (window.__runningAt === null && document.querySelector('tr[data-version="1.0.0"] [data-status="Running"]')) window.__runningAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await srv.api.post(`/api/v1/projects/${srv.hello.id}/versions/${v.id}/deploy`);
  await page.waitForFunction(() => window.__runningAt !== null, null, { timeout: 120_000 });
  const shownAt = await page.evaluate(() => window.__runningAt);
  const eventAt = await page.evaluate((id) => window.__eventAt[id] ?? null, v.id);
  const after = await waitFor('deployedAt', async () => (await srv.api.get(`/api/v1/projects/${srv.hello.id}/versions/${v.id}`)).deployment.deployedAt, 10_000);
  const statusToDom = shownAt - Date.parse(after);

  console.log('\nDashboard figures (printed, never asserted)');
  for (const [path, { runs, bytes }] of Object.entries(apiTimes)) console.log(`  API ${path}: ${runs.join(', ')} ms (${kb(bytes)} of JSON)`);
  console.log(`  first load, gzipped: JS ${kb(js)} + CSS ${kb(css)} = ${kb(js + css)}   (goal ≤ 250 KB; ${loaded.length} files)`);
  console.log(`  home page, ${scale.projects} projects × ${scale.versions} versions (${scale.deployed} deployed), navigation → rendered: median ${median(times)} ms, first ${times[0]} ms, runs ${times.join(', ')} ms   (goal < 1 s)`);
  console.log(`    of which GET /api/v1/deployments in the page: median ${median(apiInPage)} ms, runs ${apiInPage.join(', ')} ms; the rest is loading the app and rendering`);
  console.log(`  status change in the worker → DOM: ${statusToDom} ms   (goal < 500 ms; includes the worker's pod count and store write)`);
  if (eventAt !== null) console.log(`    worker → event on the page's stream ${eventAt - Date.parse(after)} ms, event → DOM ${shownAt - eventAt} ms`);
} finally {
  await ctx.close();
  await srv.stop();
}
