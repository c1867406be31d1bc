// The dose form, shared by Home (quick log) and the Journal (edit).

import {ApiError} from '../lib/api.js';
import {h, field} from '../lib/dom.js';
import {formatNumber, mark, t} from '../lib/i18n.js';

export const kUnits = ['g', 'mg', 'caps', 'ml', 'tsp'];
// Labels are marked here and translated where shown (t(label)): the language may change while
// the module stays loaded.
export const kForms = [
  ['leaf_powder', mark('Leaf powder')], ['capsules', mark('Capsules')], ['extract', mark('Extract')],
  ['seven_oh', mark('7-OH product')], ['liquid_shot', mark('Liquid shot')], ['other', mark('Other')],
];
export const kTriggers = ['stress', 'pain', 'tiredness', 'boredom', 'social', 'habit', 'anxiety',
  'low_mood', 'craving', 'withdrawal'];
// What a trigger is called on the page, as the journal has always written it ("low mood").
const kTriggerWords = {
  stress: mark('stress'), pain: mark('pain'), tiredness: mark('tiredness'), boredom: mark('boredom'),
  social: mark('social'), habit: mark('habit'), anxiety: mark('anxiety'), low_mood: mark('low mood'),
  craving: mark('craving'), withdrawal: mark('withdrawal'),
};
export function triggerWords(id) {
  return kTriggerWords[id] ? t(kTriggerWords[id]) : String(id ?? '').replaceAll('_', ' ');
}
// A form as the journal writes it after an amount ("leaf powder"), lower case in English.
const kFormWords = {
  leaf_powder: mark('leaf powder'), capsules: mark('capsules'), extract: mark('extract'),
  seven_oh: mark('7-OH'), liquid_shot: mark('liquid shot'), other: mark('other'),
};
export function formWords(id) {
  return kFormWords[id] ? t(kFormWords[id]) : String(id ?? '').replaceAll('_', ' ');
}
// kForms with their labels in the current language, for select().
export function formChoices() {
  return kForms.map(([value, label]) => [value, t(label)]);
}

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
  // The amount as it was stored, with the language's decimal sign ("2,5" in Spanish; the box reads
  // either).
  const amount = dose.amount !== undefined ? String(dose.amount).replace('.', formatNumber(1.5).replace(/\d/g, '')) : '';
  const unit = dose.unit || preferredUnit();
  const details = [
    field(t('When'), h('input', {name: 'at', type: 'text', autocomplete: 'off',
      value: dose.taken_at_local ? dose.taken_at_local.slice(0, 16).replace('T', ' ') : '',
      placeholder: t('now')}), t('Leave empty for now, or e.g. 08:30, "2 hours ago", 2026-11-27 21:00')),
    field(t('Form'), select('form', [['', '—'], ...formChoices()], dose.form ?? '')),
    products.length ? field(t('Product'), select('product', [['', '—'], ...products.map((p) => [p.name, p.name])], dose.product ?? ''))
      : field(t('Product'), h('input', {name: 'product', type: 'text', value: dose.product ?? '', autocomplete: 'off'})),
    h('fieldset', {class: 'triggers'}, h('legend', {}, t('What was going on? (optional)')),
      kTriggers.map((trigger) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'triggers', value: trigger, checked: (dose.triggers ?? []).includes(trigger)}), ` ${triggerWords(trigger)}`))),
    field(t('Note'), h('textarea', {name: 'note', rows: 2}, dose.note ?? '')),
  ];
  return [
    h('div', {class: 'amount-row'},
      field(t('Amount'), h('input', {name: 'amount', type: 'text', inputmode: 'decimal', required: true,
        value: amount, autocomplete: 'off', size: 6})),
      field(t('Unit'), select('unit', kUnits.map((u) => [u, u]), unit))),
    compact ? h('details', {class: 'more'}, h('summary', {}, t('More details')), details) : details,
  ];
}

// An amount box holds a number, and may hold its unit too ("2.5" or "2.5g"); `unit` is used
// when it does not. Checked here, before a dose is queued: a dose logged offline must not wait
// in the outbox only to be refused when it syncs. Throws an ApiError naming `fieldName`.
// `what` is a text marked with mark(), translated here.
export function checkedAmount(text, unit, {fieldName = 'amount', what = mark('how much you took')} = {}) {
  const value = String(text ?? '').trim();
  if (!value) {
    throw new ApiError(400, {field: fieldName, message: t('Enter {what}, for example 2.5.', {what: t(what)})});
  }
  const m = kAmount.exec(value);
  if (!m) {
    throw new ApiError(400, {field: fieldName,
      message: t('"{value}" is not an amount: enter a number such as 2.5, or one with its unit, such as 2.5g.', {value})});
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
