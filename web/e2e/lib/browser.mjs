// Debian's Chromium driven by playwright-core (no browser is downloaded), each browser with a
// fresh profile; axe-core injected for the accessibility checks; screenshots in both themes.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'e2e-artifacts');

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** openBrowser starts Chromium with a fresh user-data dir and returns its context. */
export async function openBrowser({ colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oneko-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
    colorScheme,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  ctx.setDefaultTimeout(30_000);
  // No CSS transitions or animations: axe must never judge a toast or dialog that is half faded in
  // (a colour-contrast false alarm), and a screenshot shows the finished state.
  await ctx.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const s = document.createElement('style');
      s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
      document.head.appendChild(s);
    });
  });
  // close() with a bound: a browser that does not quit is killed.
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    const browserProcess = ctx.browser()?.process?.();
    await Promise.race([close().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
    browserProcess?.kill('SIGKILL');
  };
  return ctx;
}

/** signIn signs in through the sign-in screen. */
export async function signIn(page, url, { username, password }) {
  await page.goto(url + '/');
  await page.getByLabel('Username or e-mail').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

/** axe runs axe-core on the page and returns the serious and critical violations. */
export async function axe(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** screenshot saves the page in the light and the dark theme under e2e-artifacts/. */
export async function screenshots(page, name) {
  mkdirSync(artifacts, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150); // let the theme's transition settle for the picture (not an assertion)
    await page.screenshot({ path: join(artifacts, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
