// The dashboard's figures, printed and never asserted (make web-bench):
//   1. JS + CSS of the first load, gzipped (goal ≤ 250 KB);
//   2. navigation to a rendered home page with 1,000 projects × 50 versions, 100 deployed
//      (goal < 1 s), in headless Chromium;
//   3. a status change in the worker to the DOM of an open page (goal < 500 ms): the worker
//      stamps deployedAt just before it records Running; the page notes when it shows it.
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
  const page = await ctx.newPage();
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
  for (let i = 0; i < 5; i++) {
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(srv.url + '/');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-version]').length >= n, scale.deployed, { timeout: 120_000 });
    times.push(Date.now() - start);
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
  const after = await waitFor('deployedAt', async () => (await srv.api.get(`/api/v1/projects/${srv.hello.id}/versions/${v.id}`)).deployment.deployedAt, 10_000);
  const statusToDom = shownAt - Date.parse(after);

  console.log('\nDashboard figures (printed, never asserted)');
  console.log(`  first load, gzipped: JS ${kb(js)} + CSS ${kb(css)} = ${kb(js + css)}   (goal ≤ 250 KB; ${loaded.length} files)`);
  console.log(`  home page, ${scale.projects} projects × ${scale.versions} versions (${scale.deployed} deployed), navigation → rendered: median ${median(times)} ms, first ${times[0]} ms, runs ${times.join(', ')} ms   (goal < 1 s)`);
  console.log(`  status change in the worker → DOM: ${statusToDom} ms   (goal < 500 ms; includes the worker's pod count and store write)`);
} finally {
  await ctx.close();
  await srv.stop();
}
