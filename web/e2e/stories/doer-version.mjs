// The DOER's version story: override a variable of a version in the version editor, read the
// effective configuration with the new value and what a deploy would change, revert it; add a
// template of the version's own (warned before leaving it unsaved) and read it in the effective
// configuration; then read the logs of a deployed version and stop it.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../lib/server.mjs';
import { openBrowser, screenshots, signIn } from '../lib/browser.mjs';
import { checkA11y, e2e, long, step, stopAll, versionOf } from '../lib/story.mjs';

describe('DOER version', () => {
  let ctx;
  let page;
  const pages = () => [page];
  const tab = (name) => page.getByRole('tab', { name });
  before(async () => {
    const doer = await e2e.srv.api.createUser('devon', 'DOER');
    ctx = await openBrowser();
    page = await ctx.newPage();
    await signIn(page, e2e.srv.url, doer);
  });
  after(async () => {
    await ctx?.close();
    await stopAll();
  });

  step('opens the version editor from the version list', pages, async () => {
    await page.goto(`${e2e.srv.url}/projects/${e2e.srv.hello.id}/versions`);
    await page.getByRole('heading', { name: 'Versions of hello' }).waitFor();
    await page.getByRole('link', { name: '1.0.0', exact: true }).click();
    await page.getByRole('heading', { name: 'Version 1.0.0 of hello' }).waitFor();
    await page.getByRole('radiogroup', { name: /Lifetime/ }).waitFor();
    await checkA11y(page, 'version editor (settings)');
    await screenshots(page, 'version-editor');
    await tab('Templates').click();
    await page.getByRole('region', { name: 'hello' }).getByText('Inherited').waitFor();
    await page.getByRole('button', { name: 'Override hello' }).waitFor();
    await checkA11y(page, 'version editor (templates)');
    await screenshots(page, 'version-editor-templates');
  });

  step("overrides REPLICAS with the project's value visible next to it", pages, async () => {
    await tab('Variables').click();
    const r = page.locator('tr[data-variable="REPLICAS"]');
    await r.getByText('1', { exact: true }).waitFor(); // the project's value
    await r.getByRole('button', { name: 'Override Replicas' }).click();
    await r.getByLabel('Value of Replicas for this version').click();
    await page.getByRole('option', { name: '3', exact: true }).click();
    await page.getByText('Unsaved changes').waitFor();
    await checkA11y(page, 'version editor (variables)');
    await screenshots(page, 'version-editor-variables');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Version 1.0.0 saved').first().waitFor();
    await waitFor('REPLICAS=3 stored', async () => (await versionOf('1.0.0')).templateVariables.REPLICAS === '3', 20_000);
    await page.getByText('No changes').waitFor();
  });

  step('reads the effective configuration with the new value', pages, async () => {
    await tab('Effective configuration').click();
    const vars = page.getByRole('table', { name: 'Variables in effect' });
    const r = vars.locator('tr[data-variable="REPLICAS"]');
    await r.getByRole('cell', { name: '3', exact: true }).waitFor();
    await r.getByRole('cell', { name: 'This version' }).waitFor();
    const values = page.getByLabel(/^Rendered values of release /);
    await values.waitFor();
    assert.match(await values.innerText(), /^replicas: 3$/m);
    await checkA11y(page, 'effective configuration');
    await screenshots(page, 'version-effective');
    await tab('Changes to deploy').click();
    await page.getByText(/What a deploy would change now/).waitFor();
    // Not deployed: the server answers its releases as new, or says why it cannot compare.
    await page.locator('[data-release]').or(page.getByText('Something went wrong')).first().waitFor();
    await checkA11y(page, 'changes to deploy');
    await screenshots(page, 'version-diff');
    await tab('History and events').click();
    await page.getByRole('heading', { name: 'Helm history' }).waitFor();
    await page.getByText(/No Helm revisions|Release/).first().waitFor();
    await checkA11y(page, 'history and events');
  });

  step("reverts REPLICAS to the project's value", pages, async () => {
    await tab('Variables').click();
    const r = page.locator('tr[data-variable="REPLICAS"]');
    await r.getByRole('button', { name: "Revert Replicas to the project's value" }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitFor('REPLICAS override removed', async () => !('REPLICAS' in (await versionOf('1.0.0')).templateVariables), 20_000);
    await page.getByText('No changes').waitFor();
    await tab('Effective configuration').click();
    const v = page.getByRole('table', { name: 'Variables in effect' }).locator('tr[data-variable="REPLICAS"]');
    await v.getByRole('cell', { name: 'The project' }).waitFor();
    const values = page.getByLabel(/^Rendered values of release /);
    await waitFor('the rendered values with replicas 1', async () => /^replicas: 1$/m.test(await values.innerText()), 20_000);
  });

  step('adds a template of its own, is warned before leaving it unsaved, and sees it in the effective configuration', pages, async () => {
    await tab('Templates').click();
    await page.getByRole('button', { name: 'Add a template' }).click();
    const form = page.getByRole('region', { name: 'New template of this version' });
    await form.getByRole('textbox', { name: /^Name( \*)?$/ }).fill('extra');
    // The chart is picked as in the project editor: the Helm registry is the project's.
    await form.getByRole('combobox', { name: /^Chart( \*)?$/ }).click();
    await page.getByRole('option', { name: /^hello$/ }).click();
    await checkA11y(page, 'version editor (new template)');
    await screenshots(page, 'version-editor-new-template');
    await form.getByRole('button', { name: 'Add template' }).click();
    const extra = page.getByRole('region', { name: /^extra/ });
    await extra.getByText('This version only').waitFor();
    await extra.getByRole('textbox', { name: 'Template extra' }).fill('greeting: from-extra-{{VERSION_NAME}}\n');
    await page.getByText('Unsaved changes').waitFor();

    // Leaving now asks first; the keyboard answers (Escape stays).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Deployments' }).click();
    const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
    await ask.waitFor();
    await checkA11y(page, 'unsaved changes dialog');
    await screenshots(page, 'unsaved-changes');
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Version 1.0.0 of hello' }).waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Version 1.0.0 saved').first().waitFor();
    await waitFor('the new template stored', async () => (await versionOf('1.0.0')).configurationTemplates.some((t) => t.name === 'extra' && t.chartName === 'hello'), 20_000);
    await page.getByText('No changes').waitFor();
    await tab('Effective configuration').click();
    const release = page.locator('[data-release]').filter({ hasText: /template extra · chart hello/ });
    await release.waitFor();
    await waitFor('the rendered values of the new template', async () => /^greeting: from-extra-1\.0\.0$/m.test(await release.getByLabel(/^Rendered values of release /).innerText()), 20_000);
    await screenshots(page, 'version-effective-new-template');

    // Removed again (the next step deploys the version with the project's templates only); saved, so leaving asks nothing.
    await tab('Templates').click();
    await page.getByRole('button', { name: 'Remove extra' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitFor('the new template removed', async () => (await versionOf('1.0.0')).configurationTemplates.length === 0, 20_000);
    await page.getByText('No changes').waitFor();
  });

  step('reads the logs of a deployed version, then stops it', pages, async () => {
    const v = await versionOf('1.0.0');
    await e2e.srv.api.post(`/api/v1/projects/${e2e.srv.hello.id}/versions/${v.id}/deploy`);
    await waitFor('1.0.0 running', async () => (await versionOf('1.0.0')).deployment.status === 'Running', long.timeout);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Deployments' }).click();
    await page.getByRole('link', { name: 'Logs 1.0.0' }).click();
    await page.getByRole('heading', { name: 'Logs of 1.0.0 (hello)' }).waitFor();
    const pod = page.getByRole('combobox', { name: 'Pod', exact: true });
    await pod.waitFor();
    assert.match(await pod.inputValue(), /\S/, 'a pod is picked');
    assert.match(await page.getByRole('combobox', { name: 'Container', exact: true }).inputValue(), /\S/, 'a container is picked');
    // The local cluster's kwok serves the demo container's log: lines arrive live.
    const log = page.getByRole('log', { name: /^Log of / });
    await log.locator('.ln').first().waitFor(long);
    await page.getByText('Following live').waitFor();
    await page.getByLabel('Filter lines').fill('/\\(request 1\\)$/');
    const count = page.getByTestId('log-count');
    await waitFor('one line shown by the filter', async () => /^1 of \d+ lines$/.test(await count.innerText()), 20_000);
    assert.equal(await log.locator('.ln').count(), 1, 'the filter shows the one matching line');
    await page.getByRole('link', { name: 'Download' }).waitFor();
    await page.getByLabel('Filter lines').fill('/[/');
    await page.getByText(/Not a regular expression/).waitFor();
    await page.getByLabel('Filter lines').fill('');
    await waitFor('the filter cleared', async () => /^\d+ lines$/.test(await count.innerText()), 20_000);
    await checkA11y(page, 'logs');
    await screenshots(page, 'logs');
    // Phone width: nothing makes the page scroll sideways.
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await fitsWidth(), true, 'the logs screen fits a phone');
    await screenshots(page, 'logs-phone');
    await page.getByRole('link', { name: '1.0.0' }).click();
    await page.getByRole('heading', { name: 'Version 1.0.0 of hello' }).waitFor();
    // Deployed by someone else (the API) since the editor first read it: the header knows.
    await page.getByRole('button', { name: 'Redeploy 1.0.0' }).waitFor();
    await tab('Variables').click();
    await page.locator('tr[data-variable="REPLICAS"]').waitFor();
    assert.equal(await fitsWidth(), true, 'the version editor fits a phone');
    await checkA11y(page, 'version editor (phone)');
    await screenshots(page, 'version-editor-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Stop 1.0.0' }).click();
    await page.getByText('Stopping 1.0.0').waitFor();
    await waitFor('1.0.0 stopped', async () => (await versionOf('1.0.0')).deployment.status === 'NotDeployed', long.timeout);
  });
});
