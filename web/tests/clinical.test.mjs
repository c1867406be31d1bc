// Issue 13 in the browser: urgent advisories are open at the top of Home, the plan is a choice
// and not medical advice on every screen that shows one, the provider comes first for someone
// pregnant or on opioid treatment, and every page footer carries the four crisis lines.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {launchBrowser, newPage, startServer} from './browser.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function withApp(options, body) {
  const server = await startServer(options);
  const opened = await newPage(browser, server, options);
  try {
    await body({...opened, server});
    assert.deepEqual(opened.problems, [], 'no script errors or CSP violations');
  } finally {
    await opened.context.close();
    await server.stop();
  }
}

async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  await page.waitForFunction((r) => location.hash === `#/${r}` && !document.querySelector('main .loading'), route);
}

test('an urgent advisory is visible on Home without a click, first on the page', async () => {
  const setup = [['log', '2g', '--at', '3h ago'], ['use', 'alcohol', '--at', '2h ago']];
  await withApp({setup}, async ({page}) => {
    const urgent = page.locator('#urgent');
    await urgent.waitFor();
    assert.ok(await urgent.isVisible(), 'shown, not folded');
    assert.equal(await urgent.locator('xpath=ancestor::details').count(), 0, 'never inside a fold');
    const text = await urgent.textContent();
    assert.match(text, /alcohol within 24 hours of a kratom dose/);
    assert.match(text, /911/);
    assert.match(text, /mitra's own estimate: The 24-hour window/);
    // Nothing but the page heading comes before it.
    const first = await page.evaluate(() => document.querySelector('main h1').nextElementSibling?.id);
    assert.equal(first, 'urgent');
  });
});

test('the Plan page says the plan is a choice, not medical advice, before and after making one', async () => {
  await withApp({}, async ({page}) => {
    await go(page, 'plan');
    const notice = page.locator('.not-advice');
    await notice.first().waitFor();
    assert.match(await notice.first().textContent(), /a plan you choose, not medical advice/);
    assert.ok(await notice.first().locator('a.source').count() > 0, 'with its sources');
    await page.getByLabel('Doses a day').fill('6');
    await page.getByLabel('Hours apart').fill('3');
    await page.getByLabel('Each dose').fill('2.5');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    assert.match(await page.locator('.not-advice').first().textContent(), /not medical advice/);
    // Every figure shown carries its sources: the pace's line has them.
    assert.match(await page.locator('section[aria-labelledby=plan-h]').textContent(), /Sources: S36b, S36c/);
    await go(page, 'home');
    assert.match(await page.locator('section[aria-labelledby=today-h] .not-advice').textContent(), /not medical advice/);
  });
});

test('pregnant: the Plan page says to involve the provider first, asks to confirm, and starts slow', async () => {
  await withApp({}, async ({page, server}) => {
    assert.equal((await server.api('PUT', '/profile', {pregnant: true})).status, 200);
    await go(page, 'plan');
    await page.getByText(/talk to your prenatal care provider before you start/).waitFor();
    assert.equal(await page.getByLabel(/^Slow:/).isChecked(), true);
    await page.getByLabel('Doses a day').fill('4');
    await page.getByLabel('Hours apart').fill('4');
    await page.getByLabel('Each dose').fill('2');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('alert').filter({hasText: /confirm that you have talked/}).waitFor();
    assert.equal((await server.api('GET', '/plans/current')).status, 404);
    await page.getByLabel(/I have talked to my provider/).check();
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    assert.equal((await server.api('GET', '/plans/current')).json.inputs.pace, 'slow');
  });
});

test('every page footer has 911, 988, Poison Help and SAMHSA', async () => {
  await withApp({}, async ({page}) => {
    for (const route of ['home', 'plan', 'learn', 'help']) {
      await go(page, route);
      const footer = await page.locator('footer.crisis').textContent();
      for (const line of ['911', '988', 'Poison Help', '1-800-222-1222', 'SAMHSA', '1-800-662-4357']) {
        assert.ok(footer.includes(line), `${route} footer has ${line}`);
      }
    }
  });
});
