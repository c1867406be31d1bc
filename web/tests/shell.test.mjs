// The service worker's list of app files is complete: every file of web/src (but itself) and
// the chart library are kept for offline use, and the server serves each of them.

import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {startServer} from './browser.mjs';

const src = path.resolve(import.meta.dirname, '../src');

test('the service worker keeps every file the app is made of, and each is served', async () => {
  const sw = readFileSync(path.join(src, 'sw.js'), 'utf8');
  const listed = JSON.parse(/const kShell = (\[[^\]]*\]);/.exec(sw)[1].replaceAll("'", '"').replace(/,\s*\]/, ']'));
  const files = readdirSync(src, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile() && e.name !== 'sw.js')
    .map((e) => `/${path.relative(src, path.join(e.parentPath ?? e.path, e.name))}`)
    .map((f) => (f === '/index.html' ? '/' : f));
  assert.deepEqual([...listed].sort(), [...files, '/vendor/chart.umd.min.js'].sort());
  const server = await startServer();
  try {
    for (const file of listed) {
      const response = await fetch(`${server.origin}${file}`);
      assert.equal(response.status, 200, file);
    }
  } finally {
    await server.stop();
  }
});
