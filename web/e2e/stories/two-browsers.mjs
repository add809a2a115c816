// Two browsers: a change made in one shows in the other.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../lib/server.mjs';
import { openBrowser, screenshots, signIn } from '../lib/browser.mjs';
import { checkA11y, e2e, long, row, step, stopAll, versionOf } from '../lib/story.mjs';

describe('two browsers', () => {
  let a;
  let b;
  let pa;
  let pb;
  const pages = () => [pa, pb];
  before(async () => {
    const walt = await e2e.srv.api.createUser('walt', 'VIEWER');
    const wanda = await e2e.srv.api.createUser('wanda', 'VIEWER');
    a = await openBrowser({ colorScheme: 'dark' });
    b = await openBrowser();
    pa = await a.newPage();
    pb = await b.newPage();
    await signIn(pa, e2e.srv.url, walt);
    await signIn(pb, e2e.srv.url, wanda);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await stopAll();
  });

  step('a deploy and a stop made in one show in the other', pages, async () => {
    await pa.getByRole('heading', { name: 'Active deployments' }).waitFor();
    await pb.goto(`${e2e.srv.url}/projects/${e2e.srv.hello.id}/versions`);
    await row(pb, pb, 'latest').getByRole('button', { name: 'Deploy latest' }).click();
    const seen = row(pa, pa.getByRole('region', { name: 'hello' }), 'latest');
    await seen.getByRole('group', { name: /Status: (Pending|Running)/ }).waitFor(long);
    await seen.getByRole('group', { name: 'Status: Running' }).waitFor(long);
    await row(pb, pb, 'latest').getByRole('group', { name: 'Status: Running' }).waitFor(long);
    await row(pb, pb, 'latest').getByRole('button', { name: 'Stop latest' }).click();
    await pa.getByRole('heading', { name: 'Nothing is deployed' }).waitFor(long);
  });
});
