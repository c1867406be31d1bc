// docs/openapi.yaml is valid OpenAPI (checked by @apidevtools/swagger-parser), and a real
// `mitra serve` answers every documented operation as documented: each status is listed for its
// operation, each body has a listed content type and validates against its schema (ajv).
// tests/unit/openapi_routes_test.cpp checks that the router and the document list the same
// operations.

import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import {startServer} from './browser.mjs';

const specFile = path.resolve(import.meta.dirname, '../../docs/openapi.yaml');

test('docs/openapi.yaml is valid OpenAPI 3', async () => {
  const api = await SwaggerParser.validate(specFile);
  assert.match(api.openapi, /^3\./);
});

// Every documented operation, as "METHOD /template", and a matcher for concrete paths.
function operations(api) {
  const list = [];
  for (const [template, item] of Object.entries(api.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      if (item[method]) list.push({key: `${method.toUpperCase()} ${template}`, method, pattern, operation: item[method]});
    }
  }
  return list;
}

test('every documented operation answers as documented on a real server', async () => {
  const api = await SwaggerParser.dereference(await SwaggerParser.validate(specFile));
  const ajv = new Ajv({strict: false, allErrors: true});
  ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/);
  const all = operations(api);
  const seen = new Set();
  const setup = Array.from({length: 12}, (_, i) => ['log', '2g', '--at', `${2 + i * 5}h ago`]);
  const server = await startServer({setup});

  // One request, checked against the document; returns {status, json, text}.
  async function call(method, route, {body, type = 'application/json', headers = {}} = {}) {
    const response = await fetch(`${server.origin}${route}`, {
      method,
      redirect: 'manual',
      headers: {Authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : {'Content-Type': type}), ...headers},
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const where = `${method} ${route} → ${response.status}`;
    const pathOnly = route.split('?')[0];
    const found = all.find((o) => o.method === method.toLowerCase() && o.pattern.test(pathOnly));
    assert.ok(found, `${where}: the operation is not in docs/openapi.yaml`);
    seen.add(found.key);
    const documented = found.operation.responses[String(response.status)] ?? found.operation.responses.default;
    assert.ok(documented, `${where}: the status is not documented for ${found.key}`);
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    let json = null;
    if (documented.content && text.length > 0) {
      const media = documented.content[contentType];
      assert.ok(media, `${where}: content type ${contentType} not documented (${Object.keys(documented.content)})`);
      if (contentType === 'application/json') {
        json = JSON.parse(text);
        if (media.schema) {
          const validate = ajv.compile(media.schema);
          if (!validate(json)) {
            const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
            assert.fail(`${where}: the body does not match its schema:\n${errors.join('\n')}\n${text.slice(0, 600)}`);
          }
        }
      }
    }
    return {status: response.status, json, text};
  }

  try {
    const v1 = '/api/v1';
    assert.equal((await call('GET', '/')).status, 200);
    assert.equal((await call('POST', `${v1}/session`, {body: {token: server.token}})).status, 200);
    assert.equal((await call('POST', `${v1}/session`, {body: {token: 'x'.repeat(64)}})).status, 401);
    assert.equal((await call('GET', `${v1}/status`)).status, 200);
    assert.equal((await call('GET', `${v1}/status`, {headers: {Authorization: 'Bearer wrong'}})).status, 401);
    // Accounts are clinic mode's (docs/clinic.md; tests/unit/clinic_test.cpp runs them on
    // PostgreSQL); this server is in local mode, where they do not exist.
    assert.equal((await call('POST', `${v1}/auth/signup`, {body: {invite: 'x', username: 'alex', password: 'a long passphrase'}})).status, 404);
    assert.equal((await call('POST', `${v1}/auth/login`, {body: {username: 'alex', password: 'a long passphrase'}})).status, 404);
    assert.equal((await call('POST', `${v1}/auth/logout`)).status, 404);
    // So are sharing, the specialist's views and contact requests (clinic_sharing_test.cpp).
    for (const [method, route, body] of [
      ['GET', `${v1}/shares`], ['POST', `${v1}/shares`, {specialist: 'sam', scopes: ['plan']}],
      ['DELETE', `${v1}/shares/x`], ['GET', `${v1}/audit`], ['GET', `${v1}/people`],
      ['GET', `${v1}/contact-requests`], ['POST', `${v1}/contact-requests`, {how: 'phone'}],
      ['POST', `${v1}/contact-requests/x/handled`], ['GET', `${v1}/me/export`], ['GET', `${v1}/me`], ['GET', `${v1}/auth`], ['GET', `${v1}/health`],
      ['DELETE', `${v1}/me`, {password: 'x'}],
      ...['pattern', 'doses', 'products', 'withdrawal', 'checkins', 'reflections', 'plans', 'plans/current',
        'plans/current/today', 'plans/current/status', 'safety', 'report', 'fhir'].map((r) => ['GET', `${v1}/people/x/${r}`]),
    ]) {
      assert.equal((await call(method, route, {body})).status, 404, `${method} ${route}`);
    }

    const dose = await call('POST', `${v1}/doses`, {body: {amount: '2.5g', note: 'with tea'}, headers: {'Idempotency-Key': 'k1'}});
    assert.equal(dose.status, 201);
    assert.equal((await call('POST', `${v1}/doses`, {body: {amount: '3g'}, headers: {'Idempotency-Key': 'k1'}})).status, 422);
    assert.equal((await call('POST', `${v1}/doses`, {body: {amount: 'lots'}})).status, 400);
    assert.equal((await call('POST', `${v1}/doses`, {body: 'amount=2', type: 'text/plain'})).status, 415);
    assert.equal((await call('GET', `${v1}/doses?from=2%20days%20ago`)).status, 200);
    assert.equal((await call('GET', `${v1}/doses?from=whenever`)).status, 400);
    assert.equal((await call('PATCH', `${v1}/doses/${dose.json.id}`, {body: {amount: '2g'}})).status, 200);
    assert.equal((await call('PATCH', `${v1}/doses/nope`, {body: {amount: '2g'}})).status, 404);
    assert.equal((await call('DELETE', `${v1}/doses/${dose.json.id}`)).status, 200);
    assert.equal((await call('DELETE', `${v1}/doses/nope`)).status, 404);
    assert.equal((await call('POST', `${v1}/undo`)).status, 200);

    const use = await call('POST', `${v1}/substance-uses`, {body: {substance: 'alcohol', note: 'a beer'}});
    assert.equal(use.status, 201);
    assert.equal((await call('DELETE', `${v1}/substance-uses/${use.json.id}`)).status, 200);
    assert.equal((await call('DELETE', `${v1}/substance-uses/nope`)).status, 404);
    assert.equal((await call('POST', `${v1}/substance-uses`, {body: {substance: 'tea'}})).status, 400);

    assert.equal((await call('GET', `${v1}/pattern?days=28`)).status, 200);
    assert.equal((await call('GET', `${v1}/pattern?days=0`)).status, 400);
    assert.equal((await call('GET', `${v1}/withdrawal`)).status, 200);
    assert.equal((await call('GET', `${v1}/safety`)).status, 200);
    assert.equal((await call('GET', `${v1}/evidence`)).status, 200);
    assert.equal((await call('GET', `${v1}/evidence?topic=withdrawal`)).status, 200);
    assert.equal((await call('GET', `${v1}/evidence?topic=astrology`)).status, 400);

    assert.equal((await call('POST', `${v1}/checkins`, {body: {scale: 'daily', answers: [3, 4, 5]}})).status, 201);
    assert.equal((await call('POST', `${v1}/checkins`, {body: {answers: Array(16).fill(1)}})).status, 201);
    assert.equal((await call('POST', `${v1}/checkins`, {body: {answers: [99]}})).status, 400);
    assert.equal((await call('GET', `${v1}/checkins?limit=5`)).status, 200);
    assert.equal((await call('GET', `${v1}/checkins?instrument=dsm5`)).status, 400);
    assert.equal((await call('POST', `${v1}/reflections`, {body: {answers: Array(11).fill(false)}})).status, 201);
    assert.equal((await call('GET', `${v1}/reflections`)).status, 200);

    assert.equal((await call('GET', `${v1}/plans/current`)).status, 404);
    assert.equal((await call('POST', `${v1}/plans`, {body: {goal: 'reduce'}})).status, 400);
    assert.equal((await call('POST', `${v1}/plans`, {body: {goal: 'stop', pace: 'gentle'}})).status, 201);
    assert.equal((await call('GET', `${v1}/plans`)).status, 200);
    assert.equal((await call('GET', `${v1}/plans/current`)).status, 200);
    assert.equal((await call('GET', `${v1}/plans/current/ics`)).status, 200);
    assert.equal((await call('GET', `${v1}/plans/current/today`)).status, 200);
    assert.equal((await call('GET', `${v1}/plans/current/today?day=someday`)).status, 400);
    assert.equal((await call('GET', `${v1}/plans/current/status`)).status, 200);
    assert.equal((await call('POST', `${v1}/plans/current/hold`, {body: {reason: 'hard week'}})).status, 200);
    assert.equal((await call('POST', `${v1}/plans/current/hold`, {body: {}})).status, 400);
    assert.equal((await call('POST', `${v1}/plans/current/resume`)).status, 200);
    assert.equal((await call('POST', `${v1}/plans/current/adjust`)).status, 200);

    assert.equal((await call('GET', `${v1}/instruments`)).status, 200);
    assert.equal((await call('GET', `${v1}/instruments/sows`)).status, 200);
    assert.equal((await call('GET', `${v1}/instruments/nope`)).status, 404);
    assert.equal((await call('GET', `${v1}/sources`)).status, 200);
    assert.equal((await call('GET', `${v1}/help`)).status, 200);
    assert.equal((await call('GET', `${v1}/settings`)).status, 200);
    assert.equal((await call('PUT', `${v1}/settings`, {body: {zone: 'Europe/Berlin', day_start: '04:00'}})).status, 200);
    assert.equal((await call('PUT', `${v1}/settings`, {body: {zone: 'Mars/Olympus'}})).status, 400);
    assert.equal((await call('GET', `${v1}/profile`)).status, 200);
    assert.equal((await call('PUT', `${v1}/profile`, {body: {reasons: ['pain'], years_of_use: 2}})).status, 200);
    assert.equal((await call('PUT', `${v1}/profile`, {body: {years_of_use: -1}})).status, 400);
    assert.equal((await call('POST', `${v1}/products`, {body: {name: 'Red', form: 'capsules', capsule_weight: '500mg'}})).status, 201);
    assert.equal((await call('POST', `${v1}/products`, {body: {name: 'Red', capsule_weight: '50kg'}})).status, 400);
    assert.equal((await call('GET', `${v1}/products`)).status, 200);

    const exported = await call('GET', `${v1}/export`);
    assert.equal(exported.status, 200);
    assert.equal((await call('GET', `${v1}/export?format=csv`)).status, 200);
    assert.equal((await call('GET', `${v1}/export?format=pdf`)).status, 400);
    assert.equal((await call('GET', `${v1}/export?format=fhir`)).status, 200);
    assert.equal((await call('GET', `${v1}/report`)).status, 200);
    assert.equal((await call('GET', `${v1}/report?format=json`)).status, 200);
    assert.equal((await call('GET', `${v1}/report?format=pdf`)).status, 400);
    assert.equal((await call('GET', `${v1}/fhir`)).status, 200);
    assert.equal((await call('POST', `${v1}/import`, {body: exported.text})).status, 200);
    assert.equal((await call('POST', `${v1}/import`, {body: {doses: [{id: 'x'}]}})).status, 400);
  } finally {
    await server.stop();
  }
  const missed = all.map((o) => o.key).filter((key) => !seen.has(key));
  assert.deepEqual(missed, [], 'documented operations this test never called');
});
