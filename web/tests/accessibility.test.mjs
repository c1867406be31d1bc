// Every page at phone and desktop sizes: axe-core finds no serious or critical violation, and
// a screenshot of each is saved (to $MITRA_SCREENSHOTS, default build/web-screenshots) to look at.

import assert from 'node:assert/strict';
import {mkdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {launchBrowser, startServer} from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.MITRA_SCREENSHOTS ?? path.resolve(import.meta.dirname, '../../build/web-screenshots');
const routes = ['home', 'journal', 'pattern', 'checkin', 'reflect', 'plan', 'learn', 'help', 'settings'];
const sizes = {phone: {width: 390, height: 844}, desktop: {width: 1280, height: 900}};

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  const doses = Array.from({length: 30}, (_, i) => ['log', i % 3 ? '2g' : '2.5g', '--at', `${3 + i * 5}h ago`]);
  server = await startServer({setup: [...doses, ['use', 'alcohol', '--at', '2h ago']]});
  await server.api('POST', '/plans', {goal: 'stop', pace: 'steady'});
  await server.api('POST', '/checkins', {scale: 'daily', answers: [4, 3, 6]});
  mkdirSync(shots, {recursive: true});
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [size, viewport] of Object.entries(sizes)) {
  test(`every page at ${size} size has no serious or critical accessibility violation`, async () => {
    // axe is injected as an inline script, which the app's CSP rightly forbids: bypass it here only.
    const context = await browser.newContext({viewport, bypassCSP: true, reducedMotion: 'reduce'});
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(server.url);
      await page.waitForSelector('main h1');
      const found = [];
      for (const route of routes) {
        await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
        await page.waitForFunction(() => !document.querySelector('main .loading') && document.querySelector('main h1'));
        await page.waitForTimeout(300);  // Charts settle.
        assert.equal(await page.locator('main [role=alert].error, main p.error').count(), 0, `${route} shows no error`);
        await page.screenshot({path: path.join(shots, `${size}-${route}.png`), fullPage: true});
        if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({content: axeSource});
        const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
        for (const v of result.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            found.push(`${route}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
          }
        }
      }
      assert.deepEqual(found, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the app can be used with the keyboard alone: tab to Log dose and press Enter', async () => {
  const context = await browser.newContext({viewport: sizes.phone});
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await page.waitForSelector('main h1');
    const before_ = (await server.api('GET', '/doses')).json.doses.length;
    await page.getByLabel('Amount', {exact: true}).focus();
    await page.keyboard.type('1');
    for (let i = 0; i < 10; ++i) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.textContent === 'Log dose')) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Log dose');
    await page.keyboard.press('Enter');
    await page.getByText(/^Logged /).waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, before_ + 1);
  } finally {
    await context.close();
  }
});
