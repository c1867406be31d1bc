// The app writes numbers and day/month names without Intl (lib/i18n.js: the first Intl formatter
// of a page loads the locale's data, most of Home's script time on a slow phone). These tests
// hold the written-out versions to what Intl gives in the same browser, in both languages, for
// edge cases and for thousands of random numbers under every set of options the pages use.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {launchBrowser, newPage, startServer} from './browser.mjs';

const kOptions = [
  {},
  {maximumFractionDigits: 3},
  {maximumFractionDigits: 6},
  {maximumFractionDigits: 1, useGrouping: false},
  {minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false},
  {minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false},
  {minimumFractionDigits: 0, maximumFractionDigits: 0, useGrouping: false},
];

// Half-way cases (on the shortest decimal form), carries, grouping edges, signs.
const kEdges = [0, -0, 0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.25, 0.35, 0.45, 1.005, 2.675, 1.0005, 0.9995,
  0.9996, 9.9996, 99.95, 999.9995, 1234, 12345, 123456, 1234567.891, 1000, 9999.9996, 10000, 99999.5,
  5.333333333333333, 2.2, 0.1 + 0.2, 3.14159, 1e-7, 1e21, 12.5, 7.45, -0.0001, 250, 1500.25];

test('numbers are written as Intl.NumberFormat writes them, in English and Spanish', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  const {page} = await newPage(browser, server);
  try {
    const mismatches = await page.evaluate(async ({options, edges}) => {
      const i18n = await import('/lib/i18n.js');
      // Random numbers of every size the app shows: amounts, hours, per-day averages, weights.
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const values = [...edges];
      for (let i = 0; i < 3000; i += 1) {
        const scale = 10 ** Math.floor(random() * 7);
        values.push(i % 2 ? Math.round(random() * scale * 1000) / 1000 : random() * scale);
      }
      const found = [];
      for (const language of ['en', 'es']) {
        await i18n.useLanguage(language);
        for (const option of options) {
          const intl = new Intl.NumberFormat(language, option);
          for (const value of values) {
            const expected = intl.formatToParts(value)
              .map((part) => (part.type === 'group' && language === 'es' ? '\u00a0' : part.value)).join('');
            const actual = i18n.formatNumber(value, option);
            if (actual !== expected) found.push({language, option, value, expected, actual});
          }
        }
      }
      return found;
    }, {options: kOptions, edges: kEdges});
    assert.deepEqual(mismatches.slice(0, 10), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('day and month names are the ones Intl.DateTimeFormat gives, in English and Spanish', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  const {page} = await newPage(browser, server);
  try {
    const result = await page.evaluate(async () => {
      const i18n = await import('/lib/i18n.js');
      const dom = await import('/lib/dom.js');
      const found = [];
      for (const language of ['en', 'es']) {
        await i18n.useLanguage(language);
        const weekday = new Intl.DateTimeFormat(language, {weekday: 'short', timeZone: 'UTC'});
        const month = new Intl.DateTimeFormat(language, {month: 'short', timeZone: 'UTC'});
        // Every day of a leap year: each name and each day of the month.
        for (let day = 0; day < 366; day += 1) {
          const date = new Date(Date.UTC(2024, 0, 1 + day));
          const text = date.toISOString().slice(0, 10);
          const expected = `${weekday.format(date)} ${date.getUTCDate()} ${month.format(date)}`;
          if (dom.localDate(text) !== expected) found.push({language, text, expected, actual: dom.localDate(text)});
        }
      }
      await i18n.useLanguage('es');
      return {found, sample: dom.localDate('2026-11-28T08:40:36+01:00')};
    });
    assert.deepEqual(result.found.slice(0, 10), []);
    assert.equal(result.sample, 'sáb 28 nov');
  } finally {
    await browser.close();
    await server.stop();
  }
});
