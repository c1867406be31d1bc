// Your pattern: the figures of `mitra pattern` (docs/pattern.md) over 7, 28 or 90 days, read
// from GET /api/v1/pattern?days=N: how often first (it tells most), then how much, the doses
// of each day, and which way things are going.

import {get} from '../lib/api.js';
import {amount, barList, fill, h, localDate, perDay} from '../lib/dom.js';
import {formatNumber, mark, t} from '../lib/i18n.js';

const WINDOWS = [7, 28, 90];

export async function render(main, rest = []) {
  const days = WINDOWS.includes(Number(rest[0])) ? Number(rest[0]) : 7;
  const p = await get(`/pattern?days=${days}`);
  fill(main,
    h('h1', {}, t('Your pattern')),
    h('nav', {class: 'choices', 'aria-label': t('How many days to look at')},
      h('ul', {}, WINDOWS.map((d) => h('li', {},
        h('a', {href: `#/pattern/${d}`, 'aria-current': d === days ? 'page' : null}, t('{count} days', {count: d})))))),
    h('p', {class: 'muted'}, t('The last {count} days: {first} to {last}.', {count: p.days, first: localDate(p.from), last: localDate(p.to)})),
    p.dose_count === 0
      ? h('p', {}, t('No doses logged in these days.'))
      : [often(p), much(p), perDayBars(p), trends(p)],
    h('p', {}, t('How often you take it tells more about dependence than how much you take each time. '),
      h('a', {href: '#/learn'}, t('Learn why'))));
}

// Hours to one decimal, always ("5.0 h"; "5,0 h" in Spanish).
const hours = (value) => (value === null || value === undefined ? '—'
  : `${formatNumber(value, {minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false})} h`);

function figures(id, title, rows, after = null) {
  return h('section', {class: 'card', 'aria-labelledby': id},
    h('h2', {id}, title),
    h('table', {class: 'figures'},
      h('tbody', {}, rows.map(([name, value]) => h('tr', {}, h('th', {scope: 'row'}, name), h('td', {}, value))))),
    after);
}

function often(p) {
  return figures('often-h', t('How often (this matters most)'), [
    [t('Doses a day'), perDay(p.doses_per_day)],
    [t('Most in one day'), String(p.max_doses_in_a_day ?? 0)],
    [t('Days with a dose'), t('{count} of {days}', {count: p.days_with_doses ?? 0, days: p.days})],
    [t('Time between doses (median)'), hours(p.median_interval_hours)],
    [t('Shortest gap'), hours(p.shortest_interval_hours)],
    [t('Longest gap'), hours(p.longest_interval_hours)],
    [t('Spread of gaps (middle half)'), hours(p.interval_spread_hours)],
    [t('Night doses (00:00–04:59)'), String(p.night_doses ?? 0)],
    [t('First dose of the day (median)'), p.median_first_dose ?? '—'],
  ]);
}

const FORM_WORDS = {leaf: mark('leaf'), extract: mark('extract'), seven_oh: mark('7-OH'), liquid_shot: mark('liquid shots'),
  other: mark('other products')};

// Grams of leaf, grams of extract and milligrams of 7-OH are different strengths: never one sum
// (issue 13). One form: its amount a day, as before; several: a row for each.
function much(p) {
  const forms = p.amounts_by_form ?? [];
  const rows = forms.length > 1
    ? forms.map((f) => [t('Amount a day, {form}', {form: FORM_WORDS[f.form] ? t(FORM_WORDS[f.form]) : f.form}),
      f.doses === 1 ? t('{amount} ({count} dose)', {amount: amount(f.amount_per_day, f.unit), count: f.doses})
        : t('{amount} ({count} doses)', {amount: amount(f.amount_per_day, f.unit), count: f.doses})])
    : [[t('Amount a day'), forms.length === 1 ? amount(forms[0].amount_per_day, forms[0].unit) : amount(p.amount_per_day, p.unit)]];
  const unknown = forms.reduce((sum, f) => sum + (f.doses_without_known_amount ?? 0), 0);
  rows.push([t('Doses without a known amount'), String(forms.length ? unknown : p.doses_without_known_mass ?? 0)]);
  return figures('much-h', t('How much'), rows, forms.length > 1
    ? h('p', {class: 'muted'}, t('These forms differ in strength, so their amounts are never added together.'))
    : null);
}

// A bar per day for up to four weeks; for longer windows a bar per week (its average a day), so
// that 90 days stay a short list.
function perDayBars(p) {
  const byDay = p.per_day ?? [];
  if (byDay.length <= 28) {
    return h('section', {class: 'card', 'aria-labelledby': 'days-h'},
      h('h2', {id: 'days-h'}, t('Doses each day')),
      barList({id: 'pattern-days', title: t('Doses per day'), unit: t('doses'),
        points: byDay.map((d) => ({label: localDate(d.day, {weekday: false}), value: d.doses}))}));
  }
  const weeks = [];
  for (let end = byDay.length; end > 0; end -= 7) weeks.unshift(byDay.slice(Math.max(0, end - 7), end));
  return h('section', {class: 'card', 'aria-labelledby': 'days-h'},
    h('h2', {id: 'days-h'}, t('Doses a day, week by week')),
    barList({id: 'pattern-weeks', title: t('Average doses a day in the week from'), unit: t('a day'),
      points: weeks.map((w) => ({label: localDate(w[0].day, {weekday: false}),
        value: Number((w.reduce((sum, d) => sum + d.doses, 0) / w.length).toFixed(1))}))}));
}

// Each trend as a change per week, in words, the ones worth a look marked (docs/pattern.md
// gives their thresholds, which are mitra's own, not clinical cut-offs).
function trends(p) {
  const trendsByKey = p.trends ?? {};
  const fixed = (value, digits) => formatNumber(Math.abs(value), {minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false});
  const signed = (value, digits) => `${value > 0 ? '+' : value < 0 ? '−' : ''}${fixed(value, digits)}`;
  const minutes = (v) => ({minutes: Math.abs(Math.round(v))});
  const rows = [
    ['frequency', t('Doses a day'), (v) => t('{change} a day each week', {change: signed(v, 1)}), t('Doses per day are rising.')],
    ['interval', t('Time between doses'), (v) => t('{change} h each week', {change: signed(v, 1)}), t('Doses are getting closer together.')],
    ['first_dose', t('First dose of the day'), (v) => (Math.round(v) === 0 ? t('about the same time each week')
      : v < 0 ? t('{minutes} min earlier each week', minutes(v)) : t('{minutes} min later each week', minutes(v))),
    t('The first dose of the day is getting earlier.')],
    ['amount', t('Amount a day'), (v) => t('{change} {unit} a day each week', {change: signed(v, 2), unit: p.unit ?? 'g'}), t('The amount per day is rising.')],
  ];
  return h('section', {class: 'card', 'aria-labelledby': 'trends-h'},
    h('h2', {id: 'trends-h'}, t('Which way it is going')),
    h('ul', {class: 'plain trends'}, rows.map(([key, name, say, warning]) => {
      const trend = trendsByKey[key];
      if (key === 'amount' && (p.amounts_by_form ?? []).length > 1) {
        return h('li', {}, h('strong', {}, `${name}: `), t('not drawn, because the forms you took differ in strength.'));
      }
      if (!trend?.enough_data) return h('li', {}, h('strong', {}, `${name}: `), t('too few days yet to tell.'));
      return h('li', {class: trend.concerning ? 'note' : null}, h('strong', {}, `${name}: `), say(trend.per_week),
        trend.concerning ? h('span', {}, ` — ${warning}`) : null);
    })));
}
