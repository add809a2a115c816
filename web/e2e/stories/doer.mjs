// The DOER story: projects in the editor, import, delete.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../lib/server.mjs';
import { openBrowser, screenshots, signIn } from '../lib/browser.mjs';
import { checkA11y, e2e, long, row, step, stopAll, versionOf } from '../lib/story.mjs';

describe('DOER', () => {
  let ctx;
  let page;
  const pages = () => [page];
  before(async () => {
    const doer = await e2e.srv.api.createUser('dora', 'DOER');
    ctx = await openBrowser();
    page = await ctx.newPage();
    await signIn(page, e2e.srv.url, doer);
  });
  after(async () => ctx?.close());

  step('imports a project export with a preview of what will be created', pages, async () => {
    const exported = await e2e.srv.api.get(`/api/v1/projects/${e2e.srv.hello.id}/export`);
    const file = { name: 'hello-copy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, name: 'hello-copy' })) };
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'Create project' }).waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a project' });
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /Export file/ }).click();
    await (await chooser).setFiles(file);
    const preview = dialog.getByRole('region', { name: 'What will be created' });
    await preview.getByText('hello-copy').waitFor();
    await preview.getByText('REPLICAS', { exact: true }).waitFor();
    await checkA11y(page, 'import');
    await screenshots(page, 'import');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported hello-copy').waitFor();
    await page.getByRole('heading', { name: 'Versions of hello-copy' }).waitFor();
    await page.getByRole('link', { name: 'Edit project' }).waitFor();
  });
});
