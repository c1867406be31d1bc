// Settings: time zone, when a day starts, the unit for quick logging, products, and moving the
// journal out and in (export and import).

import {get, newKey, post, put, request} from '../lib/api.js';
import {fill, h, field, onSubmit, toast} from '../lib/dom.js';
import {formatNumber, rememberSetting, t, useLanguage, wantedLanguage} from '../lib/i18n.js';
import {formChoices, formWords, kUnits, preferredUnit, select} from './dose_form.js';

export async function render(main) {
  const [settings, products] = await Promise.all([
    get('/settings'),
    get('/products').then((p) => p.products ?? []).catch(() => []),
  ]);
  rememberSetting(settings.language);
  fill(main,
    h('h1', {}, t('Settings')),
    languageForm(main, settings),
    timeForm(main, settings),
    unitForm(),
    productsCard(main, products),
    exportCard(),
    importCard(main));
}

// The web app's language, kept in the journal (PUT /settings {"language"}) so that every browser
// opening it agrees; "Follow the browser" (null) uses the browser's languages (Accept-Language).
function languageForm(main, settings) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const choices = [['', t('Follow the browser')], ['en', 'English'], ['es', 'Español']];
  const control = h('select', {name: 'language'},
    choices.map(([value, label]) => h('option', {value, selected: (settings.language ?? '') === value}, label)));
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'language-h'},
    h('h2', {id: 'language-h'}, t('Language')),
    field(t('Language of the app'), control, t('The texts of mitra, its facts and the crisis lines.')),
    h('button', {type: 'submit', class: 'primary'}, t('Save language')),
    message);
  return onSubmit(form, message, async (data) => {
    const value = String(data.get('language'));
    const saved = await put('/settings', {language: value || null});
    rememberSetting(saved.language);
    await useLanguage(wantedLanguage());
    await render(main);
    toast(t('Settings saved.'));
  });
}

function timeForm(main, settings) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'time-h'},
    h('h2', {id: 'time-h'}, t('Time')),
    field(t('Time zone'), h('input', {name: 'zone', type: 'text', list: 'zones', value: settings.zone ?? '',
      autocomplete: 'off'}), t('A name such as Europe/Berlin or America/Chicago')),
    h('datalist', {id: 'zones'}, zones.map((z) => h('option', {value: z}))),
    settings.zone_in_use && settings.zone_in_use !== settings.zone
      ? h('p', {class: 'hint'}, t('For now mitra uses {zone}: it was started with --tz. The zone above is the one kept for later.', {zone: settings.zone_in_use}))
      : null,
    field(t('A day starts at'), h('input', {name: 'day_start', type: 'time', value: settings.day_start ?? '04:00'}),
      t('Doses before this time count toward the day before (for night owls)')),
    h('button', {type: 'submit', class: 'primary'}, t('Save')),
    message);
  return onSubmit(form, message, async (data) => {
    await put('/settings', {zone: String(data.get('zone')).trim(), day_start: String(data.get('day_start'))});
    await render(main);
    toast(t('Settings saved.'));
  });
}

function unitForm() {
  const control = select('unit', kUnits.map((u) => [u, u]), preferredUnit());
  control.addEventListener('change', () => {
    localStorage.setItem('mitra.unit', control.value);
    toast(t('New doses start in {unit}.', {unit: control.value}));
  });
  return h('section', {class: 'card', 'aria-labelledby': 'unit-h'},
    h('h2', {id: 'unit-h'}, t('Units')),
    field(t('Unit for logging'), control, t('Saved on this device. Capsules and teaspoons are converted to grams with your product weights below.')));
}

function productsCard(main, products) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {novalidate: true},
    field(t('Name'), h('input', {name: 'name', type: 'text', autocomplete: 'off', required: true})),
    field(t('Form'), select('form', formChoices(), 'leaf_powder')),
    h('div', {class: 'amount-row'},
      field(t('One capsule weighs (g)'), h('input', {name: 'capsule_weight', type: 'text', inputmode: 'decimal', autocomplete: 'off'})),
      field(t('One teaspoon weighs (g)'), h('input', {name: 'teaspoon_weight', type: 'text', inputmode: 'decimal', autocomplete: 'off'}))),
    h('button', {type: 'submit'}, t('Save product')),
    message);
  onSubmit(form, message, async (data) => {
    const body = {name: String(data.get('name')).trim(), form: data.get('form')};
    for (const key of ['capsule_weight', 'teaspoon_weight']) {
      const value = String(data.get(key)).trim();
      if (value) body[key] = /[a-z]/i.test(value) ? value : `${value}g`;
    }
    await post('/products', body, {'Idempotency-Key': newKey()});
    await render(main);
    toast(t('Product saved.'));
  });
  return h('section', {class: 'card', 'aria-labelledby': 'products-h'},
    h('h2', {id: 'products-h'}, t('Products')),
    products.length
      ? h('ul', {class: 'plain'}, products.map((p) => h('li', {}, h('strong', {}, p.name),
        p.form ? ` · ${formWords(p.form)}` : '',
        p.capsule_mg ? t(' · one capsule {weight} mg', {weight: formatNumber(p.capsule_mg)}) : '',
        p.teaspoon_mg ? t(' · one teaspoon {weight} mg', {weight: formatNumber(p.teaspoon_mg)}) : '')))
      : h('p', {class: 'muted'}, t('No products yet.')),
    h('h3', {}, t('Add or update a product')),
    form);
}

function exportCard() {
  return h('section', {class: 'card', 'aria-labelledby': 'export-h'},
    h('h2', {id: 'export-h'}, t('Export')),
    h('p', {}, t('A copy of your whole journal, to keep or to share with someone you choose. The JSON file holds everything: doses, other substances, check-ins, reflections, every plan, your settings and profile; the CSV file holds doses and other substances. Both hold your health records: store them somewhere private.')),
    h('p', {class: 'actions'},
      h('a', {class: 'button', href: '/api/v1/export?format=json', download: 'mitra-journal.json'}, t('Export (JSON, complete)')),
      ' ',
      h('a', {class: 'button', href: '/api/v1/export?format=csv', download: 'mitra-journal.csv'}, t('Export (CSV, for spreadsheets)'))));
}

function importCard(main) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const file = h('input', {name: 'file', type: 'file', accept: '.json,.csv,application/json,text/csv'});
  const form = h('form', {novalidate: true},
    field(t('Journal file'), file, t('A file exported from mitra (JSON or CSV). Records already here are skipped; if any line is wrong, nothing is imported.')),
    h('button', {type: 'submit'}, t('Import')),
    message);
  onSubmit(form, message, async () => {
    const chosen = file.files?.[0];
    if (!chosen) throw {message: t('Choose a file to import first.'), field: 'file'};
    const text = await chosen.text();
    const format = chosen.name.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
    const result = await request('POST', `/import?format=${format}`, {
      body: text,
      headers: {'Content-Type': format === 'csv' ? 'text/csv' : 'application/json'},
    });
    fill(message, h('p', {class: 'ok'}, t('Imported {imported}; {present} were already here. ', {imported: result.imported, present: result.already_present}),
      result.message ?? ''));
    toast(t('Import finished.'));
  });
  return h('section', {class: 'card', 'aria-labelledby': 'import-h'},
    h('h2', {id: 'import-h'}, t('Import')), form);
}
