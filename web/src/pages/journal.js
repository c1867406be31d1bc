// Journal: every dose and other-substance use, newest first and a week at a time, with edit,
// delete and undo.

import {del, get, newKey, patch, post} from '../lib/api.js';
import {amount, fill, h, field, localDate, localTime, onSubmit, pendingText, sources, toast, wallClock, words} from '../lib/dom.js';
import {mark, t} from '../lib/i18n.js';
import * as outbox from '../lib/outbox.js';
import {doseBody, doseFields, formWords, select, splitAmount, triggerWords} from './dose_form.js';

const kSubstances = [
  ['alcohol', mark('Alcohol')], ['opioid', mark('Opioid (painkiller, heroin, fentanyl)')],
  ['benzodiazepine', mark('Benzodiazepine')], ['stimulant', mark('Stimulant')],
  ['gabapentinoid', mark('Gabapentin or pregabalin')], ['other_sedative', mark('Other sedative or sleep aid')],
  ['buprenorphine', mark('Buprenorphine')], ['methadone', mark('Methadone')], ['cannabis', mark('Cannabis')],
  ['other', mark('Other')],
];
// A substance as a journal entry names it ("other sedative"), lower case in English.
const kSubstanceWords = {
  alcohol: mark('alcohol'), opioid: mark('opioid'), benzodiazepine: mark('benzodiazepine'),
  stimulant: mark('stimulant'), gabapentinoid: mark('gabapentinoid'), other_sedative: mark('other sedative'),
  buprenorphine: mark('buprenorphine'), methadone: mark('methadone'), cannabis: mark('cannabis'), other: mark('other'),
};
const substanceWords = (id) => (kSubstanceWords[id] ? t(kSubstanceWords[id]) : words(id));

// The journal is shown a week at a time (seven journal days), newest first: a page stays short
// after months of use. 0 is the week that ends today, 1 the week before, and so on.
let week = 0;

// `rest` is given when the page is opened from its address (the tabs): it starts at the latest
// week. A refresh after an edit passes none and stays on the week shown.
export async function render(main, rest) {
  if (rest !== undefined) week = 0;
  const settings = await get('/settings').catch(() => ({}));
  const dayStart = /^\d{2}:\d{2}$/.test(settings.day_start ?? '') ? settings.day_start : '04:00';
  const last = addDays(journalToday(settings.zone_in_use, dayStart), -7 * week);
  const first = addDays(last, -6);
  // The API reads a wall time without an offset in the zone mitra uses, so the week's edges are
  // the day starts there, whatever the browser's own zone; `to` is exclusive.
  const range = `from=${encodeURIComponent(`${first}T${dayStart}`)}&to=${encodeURIComponent(`${addDays(last, 1)}T${dayStart}`)}`;
  const [journal, products] = await Promise.all([
    get(`/doses?${range}`),
    get('/products').then((p) => p.products ?? []).catch(() => []),
  ]);
  const entries = [
    ...journal.doses.map((d) => ({kind: 'dose', at: d.taken_at, record: d})),
    ...journal.substance_uses.map((u) => ({kind: 'use', at: u.taken_at, record: u})),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const pending = outbox.pending();

  // Grouped by journal day: the local date, less the day start (a dose at 01:00 belongs to the
  // evening before, as everywhere in mitra).
  const byDay = new Map();
  for (const e of entries) {
    const day = journalDay(e.record.taken_at_local, dayStart);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(e);
  }
  const turn = (to) => async () => {
    week = to;
    await render(main);
    main.querySelector('h2.week-h')?.focus({preventScroll: false});
  };
  const pager = h('nav', {class: 'pager actions', 'aria-label': t('Weeks of the journal')},
    h('button', {type: 'button', onclick: turn(week + 1)}, t('Earlier week')),
    week > 0 ? h('button', {type: 'button', onclick: turn(week - 1)}, t('Later week')) : null,
    week > 1 ? h('button', {type: 'button', onclick: turn(0)}, t('Latest week')) : null);
  const count = journal.doses.length;
  const doseCount = (n) => (n === 1 ? t(' · {count} dose', {count: n}) : t(' · {count} doses', {count: n}));
  fill(main,
    h('h1', {}, t('Journal')),
    h('p', {class: 'actions'},
      h('a', {class: 'button', href: '#/home'}, t('Log a dose')),
      h('button', {type: 'button', onclick: () => undo(main)}, t('Undo last change')),
      h('a', {class: 'button', href: '#/pattern'}, t('Your pattern'))),
    h('details', {class: 'card'}, h('summary', {}, t('Log something else you took')), substanceForm(main)),
    pending.length ? h('section', {class: 'card', 'aria-labelledby': 'pending-h'},
      h('h2', {id: 'pending-h'}, t('On this device, not yet synced')),
      h('ul', {class: 'plain'}, pending.map((item) => h('li', {}, pendingText(item),
        item.error ? h('span', {class: 'error'}, t(' — not accepted: {reason}', {reason: item.error})) : null)))) : null,
    h('h2', {class: 'week-h', tabindex: -1}, t('{first} to {last}', {first: localDate(first), last: localDate(last)}),
      h('span', {class: 'muted'}, week === 0 ? t(' · this week') : '', doseCount(count))),
    entries.length === 0
      ? h('p', {}, t('Nothing logged in this week.'))
      : [...byDay].map(([day, list]) => {
        const doses = list.filter((e) => e.kind === 'dose').length;
        return h('section', {class: 'day', 'aria-label': localDate(day)},
          h('h3', {class: 'day-h'}, localDate(day),
            h('span', {class: 'muted'}, doseCount(doses))),
          h('ol', {class: 'entries'}, list.map((e) => entry(main, e, products))));
      }),
    pager);
}

// Today's journal day in `zone` (the zone mitra uses; UTC if the browser does not know it):
// the wall clock there, less the day start.
function journalToday(zone, dayStart) {
  const p = wallClock(new Date(), zone, 'UTC');
  return journalDay(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`, dayStart);
}

// "2026-11-28T01:30:00+01:00" with day start "04:00" → "2026-11-27".
function journalDay(local, dayStart) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local ?? '');
  if (!m) return String(local ?? '').slice(0, 10);
  const [hh, mm] = dayStart.split(':').map(Number);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  return new Date(wall - (hh * 60 + mm) * 60000).toISOString().slice(0, 10);
}

function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function entry(main, e, products) {
  const r = e.record;
  const when = `${localDate(r.taken_at_local)}, ${localTime(r.taken_at_local)}`;
  const time = localTime(r.taken_at_local);
  const item = h('li', {class: 'entry', dataset: {id: r.id}});
  const view = () => {
    const description = e.kind === 'dose'
      ? [h('strong', {}, amount(r.amount, r.unit)), r.form ? ` ${formWords(r.form)}` : '', r.product ? ` · ${r.product}` : '',
         r.triggers?.length ? ` · ${r.triggers.map(triggerWords).join(', ')}` : '']
      : [h('strong', {}, substanceWords(r.substance))];
    item.classList.remove('editing');
    fill(item,
      h('div', {class: 'when'}, time),
      h('div', {class: 'what'}, description),
      r.note ? h('p', {class: 'note-text'}, r.note) : null,
      h('div', {class: 'row-actions'},
        e.kind === 'dose' ? h('button', {type: 'button', class: 'link', onclick: edit,
          'aria-label': t('Edit the dose of {when}', {when})}, t('Edit')) : null,
        h('button', {type: 'button', class: 'link danger', onclick: remove,
          'aria-label': t('Delete the entry of {when}', {when})}, t('Delete'))));
  };
  const edit = () => {
    const split = splitAmount(`${r.amount}${r.unit}`);
    const message = h('div', {class: 'message'});
    const form = h('form', {class: 'edit', novalidate: true},
      doseFields({...r, amount: split.value, unit: split.unit}, {products}),
      h('button', {type: 'submit', class: 'primary'}, t('Save')), ' ',
      h('button', {type: 'button', onclick: view}, t('Cancel')),
      message);
    onSubmit(form, message, async (data) => {
      const body = doseBody(form);
      // An edit sends every field, so that clearing one (a note, a trigger) clears it.
      body.note = String(data.get('note') ?? '');
      body.triggers = data.getAll('triggers').map(String);
      body.form = String(data.get('form') ?? '') || r.form;
      body.product = String(data.get('product') ?? '');
      // The time is sent only when it was changed (the field shows it to the minute).
      if (!body.at || body.at === r.taken_at_local.slice(0, 16).replace('T', ' ')) delete body.at;
      const saved = await patch(`/doses/${r.id}`, body);
      await render(main);
      // An edit that changed nothing is no step for undo: offering it would revert an older change.
      if (saved?.changed === false) toast(t('Nothing changed.'));
      else toast(t('Saved.'), {undo: () => undo(main)});
    });
    item.classList.add('editing');
    fill(item, h('div', {class: 'when'}, t('Editing the dose of {when}', {when})), form);
    form.querySelector('input[name=amount]').focus();
  };
  const remove = async () => {
    try {
      await del(`/${e.kind === 'dose' ? 'doses' : 'substance-uses'}/${r.id}`);
      await render(main);
      toast(t('Deleted.'), {undo: () => undo(main)});
    } catch (error) {
      toast(error.message);
    }
  };
  view();
  return item;
}

async function undo(main) {
  try {
    const result = await post('/undo');
    toast(t('Undone: {change}', {change: result.description}));
  } catch (error) {
    toast(error.message);
  }
  await render(main);
}

function substanceForm(main) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {novalidate: true},
    h('p', {class: 'muted'}, t('Most deaths linked to kratom involved other substances too, so logging them lets mitra warn you about a risky mix. '), sources(['A11', 'S21b'])),
    field(t('What'), select('substance', kSubstances.map(([value, label]) => [value, t(label)]), 'alcohol')),
    field(t('When'), h('input', {name: 'at', type: 'text', placeholder: t('now'), autocomplete: 'off'}),
      t('Leave empty for now, or e.g. 21:00, "3 hours ago"')),
    field(t('Note'), h('input', {name: 'note', type: 'text', autocomplete: 'off'})),
    h('button', {type: 'submit'}, t('Log it')),
    message);
  onSubmit(form, message, async (data) => {
    const body = {substance: data.get('substance')};
    for (const key of ['at', 'note']) if (String(data.get(key)).trim()) body[key] = String(data.get(key)).trim();
    await post('/substance-uses', body, {'Idempotency-Key': newKey()});
    await render(main);
    toast(t('Logged.'));
  });
  return form;
}
