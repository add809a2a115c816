// The dashboard's end-to-end stories, one per role, in Chromium against the real server in
// local mode. They read like a user's story: elements are found by role and accessible name.
// Waits are for states (generous timeouts); nothing sleeps to assert.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { axe, openBrowser, screenshots, signIn } from './lib/browser.mjs';

const long = { timeout: 90_000 };
let srv;

before(async () => {
  srv = await startServer();
}, { timeout: 70 * 60_000 });

after(async () => {
  await srv?.stop();
});

/** checkA11y fails on serious or critical axe-core violations of the current screen. */
async function checkA11y(page, screen) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${screen}: axe-core found serious or critical violations:\n${JSON.stringify(v, null, 2)}`);
}

describe('VIEWER', () => {
  let ctx;
  let page;
  let viewer;
  before(async () => {
    viewer = await srv.api.createUser('vera', 'VIEWER');
    ctx = await openBrowser();
    page = await ctx.newPage();
  });
  after(async () => ctx?.close());

  it('signs in by username and sees the shell without admin controls', async () => {
    await page.goto(srv.url + '/');
    await page.getByRole('heading', { name: 'Sign in to oneko' }).waitFor();
    await checkA11y(page, 'sign-in');
    await screenshots(page, 'signin');
    await signIn(page, srv.url, viewer);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Projects' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0, 'a VIEWER sees no admin link');
    await page.goto(srv.url + '/admin/users');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  it('deploys hello 1.1.0 from its version list and sees it go Pending → Running live', async () => {
    await page.goto(`${srv.url}/projects/${srv.hello.id}/versions`);
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Edit project' }).count(), 0, 'a VIEWER sees no edit control');
    await checkA11y(page, 'versions');
    const row = page.getByRole('row').filter({ has: page.getByText('1.1.0', { exact: true }) });
    await row.getByRole('button', { name: 'Deploy 1.1.0' }).click();
    await page.getByText('Deploying 1.1.0').waitFor();
    await row.getByRole('group', { name: /Status: (Pending|Running)/ }).waitFor(long);
    await row.getByRole('group', { name: 'Status: Running' }).waitFor(long);
    await screenshots(page, 'versions');
  });

  it('returns to the page it was on after the session expired', async () => {
    const here = `/projects/${srv.hello.id}/versions`;
    await ctx.clearCookies();
    await page.reload();
    await page.getByText('Your session has ended').waitFor();
    assert.match(page.url(), /\/signin\?next=/);
    await page.getByLabel('Username or e-mail').fill(viewer.username);
    await page.getByLabel('Password', { exact: true }).fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    assert.equal(new URL(page.url()).pathname, here);
  });

  it('stops hello 1.1.0', async () => {
    const row = page.getByRole('row').filter({ has: page.getByText('1.1.0', { exact: true }) });
    await row.getByRole('button', { name: 'Stop 1.1.0' }).click();
    await page.getByText('Stopping 1.1.0').waitFor();
    await row.getByRole('group', { name: 'Status: Not deployed' }).waitFor(long);
  });
});
