// The DOER story: import a project; create one in the editor (a template typed in the YAML
// editor, an unknown variable flagged before saving, variables, a URL template with its
// preview); a save that meets someone else's change; delete a project by typing its name.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { adminPassword, waitFor } from '../lib/server.mjs';
import { openBrowser, screenshots, signIn } from '../lib/browser.mjs';
import { checkA11y, e2e, long, row, step, stopAll, versionOf } from '../lib/story.mjs';

/** field matches a form field's label, with or without the asterisk of a required field. */
const field = (label) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** choose picks an option of a select (a combobox) found by its label in scope. */
async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: field(label) }).click();
  await page.getByRole('option', { name: option }).click();
}

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

  step('creates a project in the editor; an unknown variable is flagged before saving', pages, async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Create project' }).waitFor();
    await page.getByLabel(field('Name')).fill('shop');
    await choose(page, page, 'Docker registry', /demo-registry/);
    await page.getByLabel(field('Image')).fill(e2e.srv.hello.imageName);

    // A URL template, and its preview for a sample tag.
    await page.getByRole('button', { name: 'Add URL template' }).click();
    await page.getByLabel(field('URL template 1')).fill('http://{{DNS_VERSION_NAME}}.{{fn.lowerCase(PROJECT_NAME)}}.local');
    const preview = page.getByRole('region', { name: 'URL preview' });
    await preview.getByLabel('Sample tag').fill('1.1.0');
    await preview.getByText('http://1-1-0.shop.local', { exact: true }).waitFor();

    // A select variable.
    await page.getByRole('button', { name: 'Add variable' }).click();
    const variable = page.getByRole('group', { name: 'Variable new variable 1' });
    await variable.getByLabel('Variable name').fill('REPLICAS');
    const replicas = page.getByRole('group', { name: 'Variable REPLICAS' });
    await replicas.getByLabel(field('Label')).fill('Replicas');
    const values = replicas.getByLabel('Listed values');
    for (const v of ['1', '2']) {
      await values.fill(v);
      await values.press('Enter');
    }
    await replicas.getByLabel('Select variable').check();
    await replicas.getByLabel('Show on the dashboard').check();
    await choose(page, replicas, 'Default value', /^1$/);

    // A template typed in the editor, with a variable nobody defined.
    await page.getByRole('button', { name: 'Add template' }).click();
    await page.getByRole('tab', { name: 'values' }).waitFor();
    await choose(page, page, 'Chart', /^hello$/);
    const editor = page.getByRole('textbox', { name: 'Values of template values' });
    await editor.fill('replicas: {{REPLICAS}}\ngreeting: "{{GREETING}}"\nimage:\n  repository: "{{IMAGE}}"\n  tag: "{{IMAGE_TAG}}"\n');
    // Names complete inside {{…}}.
    await editor.press('Control+End');
    await editor.pressSequentially('project: "{{PROJ');
    await page.getByRole('option', { name: /PROJECT_NAME/ }).click();
    await editor.pressSequentially('}}"');
    const problems = page.getByRole('list', { name: '1 problem' });
    await problems.getByText(/Line 2: unknown variable GREETING/).waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor();
    await checkA11y(page, 'project editor');
    await screenshots(page, 'project-editor');

    // Saving is refused while the template has a problem.
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('alert').filter({ hasText: 'Fix 1 problem before saving' }).first().waitFor();
    assert.match(page.url(), /\/projects\/new$/);

    // Defining the variable fixes it.
    await page.getByRole('button', { name: 'Add variable' }).click();
    const greeting = page.getByRole('group', { name: 'Variable new variable 2' });
    await greeting.getByLabel('Variable name').fill('GREETING');
    await page.getByRole('group', { name: 'Variable GREETING' }).getByLabel('Default value').fill('hello');
    await page.getByText('No problems found').waitFor();
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByText('Created project shop').waitFor();
    await page.getByRole('heading', { name: 'Versions of shop' }).waitFor();
    await row(page, page, '1.1.0').waitFor(long);
    const shop = (await e2e.srv.api.get('/api/v1/projects?q=shop')).items.find((p) => p.name === 'shop');
    assert.deepEqual(shop.urlTemplates, ['http://{{DNS_VERSION_NAME}}.{{fn.lowerCase(PROJECT_NAME)}}.local']);
    assert.deepEqual(shop.templateVariables.map((v) => [v.name, v.useValues, v.values, v.defaultValue]), [
      ['REPLICAS', true, ['1', '2'], '1'],
      ['GREETING', false, [], 'hello'],
    ]);
    assert.match(shop.defaultConfigurationTemplates[0].content, /greeting: "\{\{GREETING\}\}"\n[\s\S]*project: "\{\{PROJECT_NAME\}\}"/);
    assert.equal(shop.defaultConfigurationTemplates[0].chartName, 'hello');
  });

  step('saving over someone else\'s change says so and offers to reload', pages, async () => {
    await page.getByRole('link', { name: 'Edit project' }).click();
    await page.getByRole('heading', { name: 'Edit project shop' }).waitFor();
    const id = new URL(page.url()).pathname.split('/')[2];
    // Someone else changes the project meanwhile.
    const auth = 'Basic ' + Buffer.from(`admin:${adminPassword}`).toString('base64');
    const other = await e2e.srv.api.get(`/api/v1/projects/${id}`);
    const r = await fetch(`${e2e.srv.url}/api/v1/projects/${id}`, {
      method: 'PUT',
      headers: { Authorization: auth, 'Content-Type': 'application/json', 'If-Match': '*' },
      body: JSON.stringify({ ...other, newVersionsDeploymentBehaviour: 'automatically' }),
    });
    assert.equal(r.status, 200, await r.text());
    await choose(page, page, 'Auto-deploy rule', 'Tags matching a pattern');
    await page.getByLabel('Tag pattern').fill('release-*');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Reload the project' }) });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: 'Reload the project' }).click();
    await waitFor('the reloaded project', () => page.getByRole('radio', { name: 'Redeploy automatically' }).isChecked(), 10_000);
    await choose(page, page, 'Auto-deploy rule', 'Tags matching a pattern');
    await page.getByLabel('Tag pattern').fill('release-*');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved project shop').waitFor();
    const saved = await e2e.srv.api.get(`/api/v1/projects/${id}`);
    assert.deepEqual(saved.autoDeploy, { tagPattern: 'release-*' });
    assert.equal(saved.newVersionsDeploymentBehaviour, 'automatically');
  });

  step('the editor is usable at phone width', pages, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByRole('textbox', { name: 'Values of template values' }).waitFor();
      // Toasts of the steps before slide in from the side; wait until they are gone.
      await waitFor('no toasts', async () => (await page.locator('.mantine-Notification-root').count()) === 0, 20_000);
      const wide = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > w + 0.5);
        return { overflow: document.documentElement.scrollWidth - w, out: out.slice(0, 5).map((e) => `${e.tagName}.${e.className}`) };
      });
      assert.ok(wide.overflow <= 0, `the editor scrolls sideways by ${wide.overflow}px at phone width: ${wide.out.join(', ')}`);
      await checkA11y(page, 'project editor (phone)');
      await screenshots(page, 'project-editor-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  step('deletes a project after typing its name', pages, async () => {
    await page.getByRole('button', { name: 'Delete project' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete project shop?' });
    await dialog.getByText(/stopped first/).waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete project' });
    assert.equal(await confirm.isDisabled(), true, 'delete waits for the name');
    await dialog.getByLabel('Type shop to confirm').fill('sho');
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel('Type shop to confirm').fill('shop');
    await checkA11y(page, 'delete project');
    await screenshots(page, 'project-delete');
    await confirm.click();
    await page.getByText('Deleted project shop').waitFor();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await waitFor('shop deleted', async () => !(await e2e.srv.api.get('/api/v1/projects?q=shop')).items.some((p) => p.name === 'shop'), 20_000);
  });
});
