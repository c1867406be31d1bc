// Issue 18, item 6: a browser that prefers Spanish (Accept-Language: es-ES) gets the app in
// Spanish: <html lang="es">, the shell and pages in Spanish, the crisis lines in Spanish (SAMHSA
// answers in Spanish too), the API's clinical texts in Spanish; axe finds no serious violation.
// The saved setting wins over the browser, both ways.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {after, before, test} from 'node:test';
import {launchBrowser, startServer} from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({setup: [['log', '2.5g', '--at', '20h ago']]});
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(locale, {bypassCSP = false} = {}) {
  const context = await browser.newContext({viewport: {width: 390, height: 844}, locale, bypassCSP});
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('main h1');
  return {context, page, errors};
}

test('a Spanish browser sees the app, its help page and the crisis lines in Spanish', async () => {
  const {context, page, errors} = await open('es-ES', {bypassCSP: true});
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    assert.equal(await page.locator('main h1').textContent(), 'Hoy');
    assert.equal(await page.locator('nav.tabs a[data-route=settings]').textContent(), 'Ajustes');
    const footer = await page.locator('footer.crisis').textContent();
    for (const text of ['¿En peligro ahora mismo?', '911', '988', '1-800-222-1222', '1-800-662-4357', 'en inglés y en español']) {
      assert.ok(footer.includes(text), `footer has ${text}: ${footer}`);
    }
    await page.evaluate(() => { location.hash = '#/help'; });
    await page.locator('main h1', {hasText: 'Pedir ayuda'}).waitFor();
    const help = await page.locator('main').textContent();
    // The crisis lines from the server's data/es/help.json.
    assert.ok(help.includes('en inglés y en español'), help);
    assert.ok(help.includes('Llame o envíe un mensaje de texto al 988'), help);
    // The withdrawal phase on Home comes from the API in Spanish.
    const api = await page.evaluate(() => fetch('/api/v1/withdrawal').then((r) => r.json()));
    assert.equal(api.language, 'es');
    await page.addScriptTag({content: axeSource});
    const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an English browser gets English, and the saved setting wins over the browser', async () => {
  const english = await open('en-US');
  try {
    assert.equal(await english.page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await english.page.locator('main h1').textContent(), 'Today');
    // Choose Español on the Settings page: the app and the API answer in Spanish.
    await english.page.evaluate(() => { location.hash = '#/settings'; });
    await english.page.getByLabel('Language of the app').selectOption('es');
    await english.page.locator('form[aria-labelledby=language-h] button[type=submit]').click();
    await english.page.locator('main h1', {hasText: 'Ajustes'}).waitFor();
    assert.equal(await english.page.evaluate(() => document.documentElement.lang), 'es');
    assert.equal((await server.api('GET', '/settings')).json.language, 'es');
    const help = await english.page.evaluate(() => fetch('/api/v1/help').then((r) => r.json()));
    assert.equal(help.language, 'es');
    assert.deepEqual(english.errors, []);
  } finally {
    await english.context.close();
  }
  // Back to following the browser.
  assert.equal((await server.api('PUT', '/settings', {language: null})).json.language, null);
});
