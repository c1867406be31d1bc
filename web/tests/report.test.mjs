// The clinician report prints: Chromium prints GET /api/v1/report to PDF (A4 and Letter), and
// the PDF's text, read back with pdftotext (Debian's poppler-utils), holds the key figures and
// the crisis lines on at most two pages.

import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {launchBrowser, newPage, startServer} from './browser.mjs';
import {fourWeeksSetup} from './four_weeks.mjs';

let browser;
let server;
let journal;
before(async () => {
  browser = await launchBrowser();
  journal = fourWeeksSetup();
  server = await startServer({zone: '', setup: journal.setup});
});
after(async () => {
  await server?.stop();
  await browser?.close();
});

// Prints the report as `format` and returns its text and its number of pages.
async function printed(format) {
  const {page, context, problems} = await newPage(browser, server);
  try {
    const response = await page.goto(`${server.origin}/api/v1/report`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/html; charset=utf-8/);
    assert.equal(await page.locator('script').count(), 0, 'no script in the page');
    assert.doesNotMatch(await page.title(), /kratom/i, 'a discreet title');
    const file = path.join(server.dir, `report-${format}.pdf`);
    writeFileSync(file, await page.pdf({format, printBackground: true}));
    assert.deepEqual(problems, [], 'no CSP violation: the inline style is allowed by its hash');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], {encoding: 'utf8'});
    const info = execFileSync('pdfinfo', [file], {encoding: 'utf8'});
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
    return {text, pages};
  } finally {
    await context.close();
  }
}

for (const format of ['A4', 'Letter']) {
  test(`the report prints on at most two ${format} pages with its figures and the crisis lines`, async () => {
    const {text, pages} = await printed(format);
    assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
    const flat = text.replace(/\s+/g, ' ');
    assert.match(flat, /Clinician report/);
    assert.match(flat, new RegExp(`${journal.doses} doses on 27 of the 2[78] days logged`));
    assert.match(flat, /Doses a day: /, 'the trend of doses a day');
    assert.match(flat, /SOWS \(total 0–64; 1 in the period\)/);
    assert.match(flat, new RegExp(`Self-reported: ${journal.criteria} of 11 answered yes \\(moderate band\\)\\. A self-check, not a diagnosis\\.`));
    assert.match(flat, /alcohol/);
    assert.match(flat, /Goal stop, pace steady/);
    assert.match(flat, /\[A4\]/, 'health statements carry their source keys');
    for (const line of [/1-800-662-4357/, /988/, /1-800-222-1222/, /FindTreatment\.gov/i]) {
      assert.match(flat, line, 'every crisis line');
    }
    assert.match(flat, /not a clinical assessment, a diagnosis or medical advice/);
  });
}
