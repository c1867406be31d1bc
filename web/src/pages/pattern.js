// Your pattern: the figures of `mitra pattern` (docs/pattern.md) over 7, 28 or 90 days, read
// from GET /api/v1/pattern?days=N: how often first (it tells most), then how much, the doses
// of each day, and which way things are going.

import {get} from '../lib/api.js';
import {barList} from '../lib/charts.js';
import {amount, fill, h, localDate, perDay} from '../lib/dom.js';

const WINDOWS = [7, 28, 90];

export async function render(main, rest = []) {
  const days = WINDOWS.includes(Number(rest[0])) ? Number(rest[0]) : 7;
  const p = await get(`/pattern?days=${days}`);
  fill(main,
    h('h1', {}, 'Your pattern'),
    h('nav', {class: 'choices', 'aria-label': 'How many days to look at'},
      h('ul', {}, WINDOWS.map((d) => h('li', {},
        h('a', {href: `#/pattern/${d}`, 'aria-current': d === days ? 'page' : null}, `${d} days`))))),
    h('p', {class: 'muted'}, `The last ${p.days} days: ${localDate(p.from)} to ${localDate(p.to)}.`),
    p.dose_count === 0
      ? h('p', {}, 'No doses logged in these days.')
      : [often(p), much(p), perDayBars(p), trends(p)],
    h('p', {}, 'How often you take it tells more about dependence than how much you take each time. ',
      h('a', {href: '#/learn'}, 'Learn why')));
}

const hours = (value) => (value === null || value === undefined ? '—' : `${Number(value).toFixed(1)} h`);

function figures(id, title, rows, after = null) {
  return h('section', {class: 'card', 'aria-labelledby': id},
    h('h2', {id}, title),
    h('table', {class: 'figures'},
      h('tbody', {}, rows.map(([name, value]) => h('tr', {}, h('th', {scope: 'row'}, name), h('td', {}, value))))),
    after);
}

function often(p) {
  return figures('often-h', 'How often (this matters most)', [
    ['Doses a day', perDay(p.doses_per_day)],
    ['Most in one day', String(p.max_doses_in_a_day ?? 0)],
    ['Days with a dose', `${p.days_with_doses ?? 0} of ${p.days}`],
    ['Time between doses (median)', hours(p.median_interval_hours)],
    ['Shortest gap', hours(p.shortest_interval_hours)],
    ['Longest gap', hours(p.longest_interval_hours)],
    ['Spread of gaps (middle half)', hours(p.interval_spread_hours)],
    ['Night doses (00:00–04:59)', String(p.night_doses ?? 0)],
    ['First dose of the day (median)', p.median_first_dose ?? '—'],
  ]);
}

const FORM_WORDS = {leaf: 'leaf', extract: 'extract', seven_oh: '7-OH', liquid_shot: 'liquid shots', other: 'other products'};

// Grams of leaf, grams of extract and milligrams of 7-OH are different strengths: never one sum
// (issue 13). One form: its amount a day, as before; several: a row for each.
function much(p) {
  const forms = p.amounts_by_form ?? [];
  const rows = forms.length > 1
    ? forms.map((f) => [`Amount a day, ${FORM_WORDS[f.form] ?? f.form}`,
      `${amount(f.amount_per_day, f.unit)} (${f.doses} ${f.doses === 1 ? 'dose' : 'doses'})`])
    : [['Amount a day', forms.length === 1 ? amount(forms[0].amount_per_day, forms[0].unit) : amount(p.amount_per_day, p.unit)]];
  const unknown = forms.reduce((sum, f) => sum + (f.doses_without_known_amount ?? 0), 0);
  rows.push(['Doses without a known amount', String(forms.length ? unknown : p.doses_without_known_mass ?? 0)]);
  return figures('much-h', 'How much', rows, forms.length > 1
    ? h('p', {class: 'muted'}, 'These forms differ in strength, so their amounts are never added together.')
    : null);
}

// A bar per day for up to four weeks; for longer windows a bar per week (its average a day), so
// that 90 days stay a short list.
function perDayBars(p) {
  const byDay = p.per_day ?? [];
  if (byDay.length <= 28) {
    return h('section', {class: 'card', 'aria-labelledby': 'days-h'},
      h('h2', {id: 'days-h'}, 'Doses each day'),
      barList({id: 'pattern-days', title: 'Doses per day', unit: 'doses',
        points: byDay.map((d) => ({label: localDate(d.day).replace(/^\w+ /, ''), value: d.doses}))}));
  }
  const weeks = [];
  for (let end = byDay.length; end > 0; end -= 7) weeks.unshift(byDay.slice(Math.max(0, end - 7), end));
  return h('section', {class: 'card', 'aria-labelledby': 'days-h'},
    h('h2', {id: 'days-h'}, 'Doses a day, week by week'),
    barList({id: 'pattern-weeks', title: 'Average doses a day in the week from', unit: 'a day',
      points: weeks.map((w) => ({label: localDate(w[0].day).replace(/^\w+ /, ''),
        value: Number((w.reduce((sum, d) => sum + d.doses, 0) / w.length).toFixed(1))}))}));
}

// Each trend as a change per week, in words, the ones worth a look marked (docs/pattern.md
// gives their thresholds, which are mitra's own, not clinical cut-offs).
function trends(p) {
  const t = p.trends ?? {};
  const signed = (value, digits) => `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(digits)}`;
  const rows = [
    ['frequency', 'Doses a day', (v) => `${signed(v, 1)} a day each week`, 'Doses per day are rising.'],
    ['interval', 'Time between doses', (v) => `${signed(v, 1)} h each week`, 'Doses are getting closer together.'],
    ['first_dose', 'First dose of the day', (v) => (Math.round(v) === 0 ? 'about the same time each week'
      : `${Math.abs(Math.round(v))} min ${v < 0 ? 'earlier' : 'later'} each week`),
    'The first dose of the day is getting earlier.'],
    ['amount', 'Amount a day', (v) => `${signed(v, 2)} ${p.unit ?? 'g'} a day each week`, 'The amount per day is rising.'],
  ];
  return h('section', {class: 'card', 'aria-labelledby': 'trends-h'},
    h('h2', {id: 'trends-h'}, 'Which way it is going'),
    h('ul', {class: 'plain trends'}, rows.map(([key, name, say, warning]) => {
      const trend = t[key];
      if (key === 'amount' && (p.amounts_by_form ?? []).length > 1) {
        return h('li', {}, h('strong', {}, `${name}: `), 'not drawn, because the forms you took differ in strength.');
      }
      if (!trend?.enough_data) return h('li', {}, h('strong', {}, `${name}: `), 'too few days yet to tell.');
      return h('li', {class: trend.concerning ? 'note' : null}, h('strong', {}, `${name}: `), say(trend.per_week),
        trend.concerning ? h('span', {}, ` — ${warning}`) : null);
    })));
}
