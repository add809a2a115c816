// The VIEWER story: deploy, watch, change a variable, logs, extend, stop, search, browse.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../lib/server.mjs';
import { openBrowser, screenshots, signIn } from '../lib/browser.mjs';
import { checkA11y, e2e, long, row, step, stopAll, versionOf } from '../lib/story.mjs';

describe('VIEWER', () => {
  let ctx;
  let page;
  let viewer;
  const pages = () => [page];
  before(async () => {
    viewer = await e2e.srv.api.createUser('vera', 'VIEWER');
    ctx = await openBrowser();
    page = await ctx.newPage();
  });
  after(async () => ctx?.close());

  step('signs in by username and sees no admin screen', pages, async () => {
    await page.goto(e2e.srv.url + '/');
    await page.getByRole('heading', { name: 'Sign in to oneko' }).waitFor();
    await checkA11y(page, 'sign-in');
    await screenshots(page, 'signin');
    await signIn(page, e2e.srv.url, viewer);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Projects' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0, 'a VIEWER sees no admin link');
    await page.getByRole('heading', { name: 'Nothing is deployed' }).waitFor();
    await checkA11y(page, 'home (empty)');
    await screenshots(page, 'home-empty');
    await page.goto(e2e.srv.url + '/admin/users');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  step('deploys hello 1.1.0 from its version list', pages, async () => {
    await page.goto(`${e2e.srv.url}/projects/${e2e.srv.hello.id}/versions`);
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Edit project' }).count(), 0, 'a VIEWER sees no edit control');
    assert.equal(await page.getByRole('link', { name: '1.1.0' }).count(), 0, 'a VIEWER sees no version editor link');
    await checkA11y(page, 'versions');
    await screenshots(page, 'versions');
    const r = row(page, page, '1.1.0');
    await r.getByRole('button', { name: 'Deploy 1.1.0' }).click();
    await page.getByText('Deploying 1.1.0').waitFor();
    await r.getByRole('group', { name: /Status: (Pending|Running)/ }).waitFor();
  });

  step('sees it on the home page go Pending → Running without reloading', pages, async () => {
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Deployments' }).click();
    const hello = page.getByRole('region', { name: 'hello' });
    const r = row(page, hello, '1.1.0');
    await r.getByRole('group', { name: /Status: (Pending|Running)/ }).waitFor();
    await r.getByRole('group', { name: 'Status: Running' }).waitFor(long);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    await checkA11y(page, 'home');
    await screenshots(page, 'home');
  });

  step('changes a dashboard select variable, saved at once', pages, async () => {
    const r = row(page, page.getByRole('region', { name: 'hello' }), '1.1.0');
    await r.getByRole('combobox', { name: 'Replicas (1.1.0)' }).selectOption('2');
    await page.getByText('Replicas set to 2').waitFor();
    await waitFor('REPLICAS=2 stored', async () => (await versionOf('1.1.0')).templateVariables.REPLICAS === '2', 20_000);
    await r.getByText('Outdated').waitFor();
  });

  step('opens the logs', pages, async () => {
    await page.getByRole('link', { name: 'Logs 1.1.0' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.goBack();
    await page.getByRole('region', { name: 'hello' }).waitFor();
  });

  step('extends its lifetime', pages, async () => {
    const r = row(page, page.getByRole('region', { name: 'hello' }), '1.1.0');
    // By keyboard first: the popover (mounted on first use) opens from the focused button, and
    // Escape closes it with the focus back on that button.
    const extend = r.getByRole('button', { name: 'Extend the lifetime of 1.1.0' });
    await extend.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('radio', { name: 'Restart the lifetime clock' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await extend.evaluate((b) => b === document.activeElement), true, 'the focus is back on the Extend button');
    await extend.click();
    await page.getByRole('dialog').getByRole('radio', { name: 'Restart the lifetime clock' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Extend', exact: true }).click();
    if (e2e.hasExtend) await page.getByText('Lifetime of 1.1.0 extended').waitFor();
    else await page.getByText('This server cannot extend lifetimes yet').waitFor();
  });

  step('stops it', pages, async () => {
    const r = row(page, page.getByRole('region', { name: 'hello' }), '1.1.0');
    await r.getByRole('button', { name: 'Stop 1.1.0' }).click();
    await page.getByText('Stopping 1.1.0').waitFor();
    await page.getByRole('heading', { name: 'Nothing is deployed' }).waitFor(long);
  });

  step('searches with Ctrl+K and deploys two versions at once', pages, async () => {
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search palette' });
    await dialog.getByRole('textbox', { name: 'Search query' }).fill('1.');
    await dialog.getByRole('checkbox', { name: 'Select hello 1.0.0' }).check();
    await dialog.getByRole('checkbox', { name: 'Select hello 1.1.0' }).check();
    await checkA11y(page, 'search palette');
    await screenshots(page, 'search-palette');
    await dialog.getByRole('button', { name: 'Deploy selected (2)' }).click();
    await page.getByText('2 of 2 done').waitFor();
    await page.keyboard.press('Escape');
    const hello = page.getByRole('region', { name: 'hello' });
    await row(page, hello, '1.0.0').getByRole('group', { name: 'Status: Running' }).waitFor(long);
    await row(page, hello, '1.1.0').getByRole('group', { name: 'Status: Running' }).waitFor(long);
  });

  step('browses projects, search and activity (with a live "N new" indicator)', pages, async () => {
    if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape');
    await stopAll();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.getByRole('link', { name: 'hello' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Import' }).count(), 0, 'a VIEWER sees no import');
    assert.equal(await page.getByRole('link', { name: 'Create project' }).count(), 0, 'a VIEWER sees no create');
    await page.getByRole('button', { name: 'Sort by Status' }).click();
    await waitFor('sort in the URL', async () => new URL(page.url()).searchParams.get('sort') === 'status', 10_000);
    await checkA11y(page, 'projects');
    await screenshots(page, 'projects');

    await page.goto(e2e.srv.url + '/search?q=hello');
    await page.getByRole('list', { name: /results?$/ }).getByRole('link', { name: 'hello', exact: true }).waitFor();
    await checkA11y(page, 'search');
    await screenshots(page, 'search');

    await nav.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByRole('table', { name: 'Activity' }).getByText('Deploy requested').first().waitFor();
    const latest = await versionOf('latest');
    await e2e.srv.api.post(`/api/v1/projects/${e2e.srv.hello.id}/versions/${latest.id}/deploy`);
    await page.getByText('1 new activity').waitFor();
    await checkA11y(page, 'activity');
    await screenshots(page, 'activity');
    await page.getByRole('button', { name: 'Show' }).click();
    await waitFor('the indicator gone', async () => (await page.getByText(/new activit/).count()) === 0, 20_000);
    await stopAll();
  });

  step('returns to the page it was on after the session expired', pages, async () => {
    const here = `/projects/${e2e.srv.hello.id}/versions`;
    await page.goto(e2e.srv.url + here);
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    await ctx.clearCookies();
    await page.reload();
    await page.getByText('Your session has ended').waitFor();
    assert.match(page.url(), /\/signin\?next=/);
    await page.getByLabel('Username or e-mail').fill(viewer.username);
    await page.getByLabel(/^Password/).fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    assert.equal(new URL(page.url()).pathname, here);
  });

  after(async () => stopAll());
});
