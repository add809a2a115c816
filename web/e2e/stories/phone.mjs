// Phone width: every screen at 390 × 844 (an iPhone 12–15) has nothing wider than the screen, and
// the navigation is reached through the burger menu.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshots } from '../lib/browser.mjs';
import { e2e, step } from '../lib/story.mjs';

const phone = { width: 390, height: 844 };

/** noOverflow asserts that the document is not wider than the viewport (no sideways scroll). */
async function noOverflow(page, screen) {
  const { scroll, width, wide } = await page.evaluate(() => {
    const w = window.innerWidth;
    // Name what sticks out, so that a failure says where to look.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].slice(0, 2).join('.')}`);
    return { scroll: document.documentElement.scrollWidth, width: w, wide };
  });
  assert.ok(scroll <= width, `${screen}: the page is ${scroll}px wide on a ${width}px screen; too wide: ${wide.join(', ')}`);
}

describe('phone width', () => {
  let ctx;
  let page;
  const pages = () => [page];
  before(async () => {
    ctx = await openBrowser({ viewport: phone });
    page = await ctx.newPage();
  });
  after(async () => {
    await ctx?.close();
  });

  step('sign-in fits the screen', pages, async () => {
    const user = await e2e.srv.api.createUser('phoebe', 'VIEWER');
    await page.goto(e2e.srv.url + '/');
    await page.getByRole('heading', { name: 'Sign in to oneko' }).waitFor();
    await noOverflow(page, 'sign-in');
    await screenshots(page, 'phone-signin');
    await page.getByLabel('Username or e-mail').fill(user.username);
    await page.getByLabel(/^Password/).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Active deployments' }).waitFor();
  });

  step('every screen fits the screen and the burger menu reaches the navigation', pages, async () => {
    const hello = e2e.srv.hello;
    const screens = [
      ['home', '/', 'Active deployments'],
      ['projects', '/projects', 'Projects'],
      ['versions', `/projects/${hello.id}/versions`, 'Versions of hello'],
      ['search', '/search?q=1.', 'Search'],
      ['activity', '/activity', 'Activity'],
    ];
    for (const [name, path, heading] of screens) {
      await page.goto(e2e.srv.url + path);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await noOverflow(page, name);
      await screenshots(page, `phone-${name}`);
    }
    // The navigation is behind the burger: open it, follow a link, and it closes again.
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    const link = nav.getByRole('link', { name: 'Projects' });
    assert.equal(await link.isVisible() && (await link.boundingBox()).x >= 0, false, 'the navigation is shown beside the page on a phone');
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.waitForFunction(() => {
      const a = [...document.querySelectorAll('nav a')].find((x) => x.textContent?.trim() === 'Projects');
      return a && a.getBoundingClientRect().x >= 0;
    });
    await noOverflow(page, 'open navigation');
    await link.click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await page.waitForFunction(() => {
      const a = [...document.querySelectorAll('nav a')].find((x) => x.textContent?.trim() === 'Projects');
      return !a || a.getBoundingClientRect().right <= 0;
    });
  });
});
