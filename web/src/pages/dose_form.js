// The dose form, shared by Home (quick log) and the Journal (edit).

import {ApiError} from '../lib/api.js';
import {h, field} from '../lib/dom.js';

export const kUnits = ['g', 'mg', 'caps', 'ml', 'tsp'];
export const kForms = [
  ['leaf_powder', 'Leaf powder'], ['capsules', 'Capsules'], ['extract', 'Extract'],
  ['seven_oh', '7-OH product'], ['liquid_shot', 'Liquid shot'], ['other', 'Other'],
];
export const kTriggers = ['stress', 'pain', 'tiredness', 'boredom', 'social', 'habit', 'anxiety',
  'low_mood', 'craving', 'withdrawal'];

export function preferredUnit() {
  return localStorage.getItem('mitra.unit') || 'g';
}

export function select(name, options, selected) {
  return h('select', {name}, options.map(([value, label]) =>
    h('option', {value, selected: value === selected}, label)));
}

// A number, perhaps with its unit: "2.5", "2,5", "2.5g", "250 mg".
const kAmount = /^\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-z]*)\s*$/i;

// "2.5g" → {value: "2.5", unit: "g"}.
export function splitAmount(text) {
  const m = kAmount.exec(text ?? '');
  return m ? {value: m[1], unit: m[2] || preferredUnit()} : {value: '', unit: preferredUnit()};
}

// The fields of a dose. `dose` fills them in (for edits); `compact` hides the details behind a
// disclosure, so that logging stays two taps.
export function doseFields(dose = {}, {compact = false, products = []} = {}) {
  const amount = dose.amount !== undefined ? String(dose.amount) : '';
  const unit = dose.unit || preferredUnit();
  const details = [
    field('When', h('input', {name: 'at', type: 'text', autocomplete: 'off',
      value: dose.taken_at_local ? dose.taken_at_local.slice(0, 16).replace('T', ' ') : '',
      placeholder: 'now'}), 'Leave empty for now, or e.g. 08:30, "2 hours ago", 2026-11-27 21:00'),
    field('Form', select('form', [['', '—'], ...kForms], dose.form ?? '')),
    products.length ? field('Product', select('product', [['', '—'], ...products.map((p) => [p.name, p.name])], dose.product ?? ''))
      : field('Product', h('input', {name: 'product', type: 'text', value: dose.product ?? '', autocomplete: 'off'})),
    h('fieldset', {class: 'triggers'}, h('legend', {}, 'What was going on? (optional)'),
      kTriggers.map((t) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'triggers', value: t, checked: (dose.triggers ?? []).includes(t)}), ` ${t.replace('_', ' ')}`))),
    field('Note', h('textarea', {name: 'note', rows: 2}, dose.note ?? '')),
  ];
  return [
    h('div', {class: 'amount-row'},
      field('Amount', h('input', {name: 'amount', type: 'text', inputmode: 'decimal', required: true,
        value: amount, autocomplete: 'off', size: 6})),
      field('Unit', select('unit', kUnits.map((u) => [u, u]), unit))),
    compact ? h('details', {class: 'more'}, h('summary', {}, 'More details'), details) : details,
  ];
}

// An amount box holds a number, and may hold its unit too ("2.5" or "2.5g"); `unit` is used
// when it does not. Checked here, before a dose is queued: a dose logged offline must not wait
// in the outbox only to be refused when it syncs. Throws an ApiError naming `fieldName`.
export function checkedAmount(text, unit, {fieldName = 'amount', what = 'how much you took'} = {}) {
  const value = String(text ?? '').trim();
  if (!value) {
    throw new ApiError(400, {field: fieldName, message: `Enter ${what}, for example 2.5.`});
  }
  const m = kAmount.exec(value);
  if (!m) {
    throw new ApiError(400, {field: fieldName,
      message: `"${value}" is not an amount: enter a number such as 2.5, or one with its unit, such as 2.5g.`});
  }
  return `${m[1].replace(',', '.')}${m[2] || unit}`;
}

// The form's values as an API body; empty optional fields are left out. Throws an ApiError
// naming the amount field when the amount is missing or not a number.
export function doseBody(form) {
  const data = new FormData(form);
  const body = {amount: checkedAmount(data.get('amount'), data.get('unit'))};
  for (const key of ['at', 'form', 'product', 'note']) {
    const value = String(data.get(key) ?? '').trim();
    if (value) body[key] = value;
  }
  const triggers = data.getAll('triggers').map(String);
  if (triggers.length) body.triggers = triggers;
  return body;
}
