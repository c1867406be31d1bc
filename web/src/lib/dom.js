// Building the page. Every piece of text goes in as a text node, never as HTML, so a note that
// holds "<script>" is shown as those characters and never run.

import {dayName, formatNumber, formatter, monthName, t} from './i18n.js';

// h('p', {class: 'x', onclick: fn}, 'text', child, [more children]) → an element.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// Replaces what `element` holds.
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

// "Sources: A1, A7": every fact and advisory shows where it comes from. Each key links to the
// list of references on the Learn page.
export function sources(keys) {
  if (!keys || keys.length === 0) return null;
  const list = h('span', {class: 'sources'}, t('Sources: '));
  keys.forEach((key, i) => {
    if (i > 0) list.append(', ');
    list.append(h('a', {href: `#/learn/sources/${encodeURIComponent(key)}`, class: 'source'}, key));
  });
  return list;
}

let toastTimer = null;
// A short message in a polite live region, read out by screen readers.
export function toast(message, {undo} = {}) {
  const box = document.getElementById('toast');
  fill(box, h('span', {}, message));
  if (undo) {
    box.append(' ', h('button', {type: 'button', class: 'link', onclick: async () => {
      box.hidden = true;
      await undo();
    }}, t('Undo')));
  }
  box.hidden = false;
  keepClear(box);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, undo ? 10000 : 5000);
}

// The toast sits at the bottom of the screen, unless it would cover the control in use or a
// message on the page (a confirmation, an error): then at the top, under the header.
function keepClear(box) {
  box.classList.remove('top');
  const active = document.activeElement;
  const kept = [...document.querySelectorAll('main .message > *, main [role=alert]')];
  if (active && active !== document.body && active.closest('main')) kept.push(active);
  const r = box.getBoundingClientRect();
  const covers = (e) => {
    const o = e.getBoundingClientRect();
    return o.width > 0 && r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom;
  };
  if (kept.some(covers)) box.classList.add('top');
}

// A form field with its label (and an optional hint), wired for screen readers.
let fieldCounter = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  const parts = [h('label', {for: id}, label)];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('span', {class: 'hint', id: hintId}, hint));
  }
  parts.push(control);
  return h('div', {class: 'field'}, parts);
}

// Runs `send(formData)` when the form is submitted, and shows what it throws in `message`
// (naming the field). Every form in the app goes through here.
export function onSubmit(form, message, send) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await send(new FormData(form));
    } catch (error) {
      showError(message, error);
    }
  });
  return form;
}

// An error shown next to the form, naming the field it is about: by the label the person sees
// when the field is in the form (a control with that name, or a fieldset marked
// data-field="…", by its legend), which is then marked and focused; else by its API name.
export function showError(container, error) {
  const form = error?.field ? container.closest('form') : null;
  const name = error?.field ? CSS.escape(error.field) : '';
  const control = form?.querySelector(`[name="${name}"]`) ?? null;
  const group = control ? null : form?.querySelector(`fieldset[data-field="${name}"]`) ?? null;
  const label = control?.id
    ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent
    : group?.querySelector('legend')?.textContent;
  let message = error?.message ?? String(error);
  if (label) message = `${label}: ${message}`;
  else if (error?.field) message = t('{message} (field: {field})', {message, field: error.field});
  fill(container, h('p', {class: 'error', role: 'alert'}, message));
  const marked = control ?? group?.querySelector('input, select, textarea');
  if (marked) {
    marked.setAttribute('aria-invalid', 'true');
    marked.focus();
  }
}

// "2026-11-28T08:40:36+01:00" (in the person's own zone) → "Sat 28 Nov, 08:40" ("sáb 28 nov,
// 08:40" in Spanish): the day and month names of the current language, in the same order in
// both. The wall-clock part is read as written: it is already in the zone the person chose in
// Settings. `weekday: false` leaves the day's name out ("28 Nov").
export function localDate(text, {weekday = true} = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text ?? '');
  if (!m) return text ?? '';
  const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  const dayMonth = `${+m[3]} ${monthName(day.getUTCMonth())}`;
  return weekday ? `${dayName(day.getUTCDay())} ${dayMonth}` : dayMonth;
}
export function localTime(text) {
  const m = /T(\d{2}:\d{2})/.exec(text ?? '');
  return m ? m[1] : '';
}
export function localDateTime(text) {
  return `${localDate(text)}, ${localTime(text)}`;
}

// Hours as "3 h 12 min" (or "2 days 4 h" past two days).
export function duration(hours) {
  if (hours === null || hours === undefined || Number.isNaN(hours)) return '';
  const minutes = Math.max(0, Math.floor(hours * 60));
  const days = Math.floor(minutes / 1440);
  const h_ = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (days >= 2) return t('{days} days {hours} h', {days, hours: h_});
  if (minutes >= 60) return `${days * 24 + h_} h ${m} min`;
  return `${m} min`;
}

// Doses a day (an average): always one decimal, "5.6", "6.0" ("5,6" in Spanish), as the CLI
// writes it (core::format_per_day).
export function perDay(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '';
  return formatNumber(value, {minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false});
}

// Hours between doses as people say them, to a tenth: "5.3 h", "6 h" ("5,3 h" in Spanish; an
// API value such as 5.333333333333333 is never shown as it is).
export function hoursApart(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return `${formatNumber(value, {maximumFractionDigits: 1, useGrouping: false})} h`;
}

// To the millionth of a unit a journal keeps, as the CLI writes it.
export function amount(value, unit) {
  if (value === null || value === undefined) return '';
  return `${formatNumber(value, {maximumFractionDigits: 6})} ${unit}`;
}

// Readable form of ids such as "leaf_powder" or "before_onset".
export function words(id) {
  return String(id ?? '').replaceAll('_', ' ');
}

// The wall clock in `zone` at `instant` (anything Date reads), as two-digit strings: {year,
// month, day, hour, minute}. A zone the browser does not know gives `fallback`'s wall clock
// (undefined: the browser's own zone).
export function wallClock(instant, zone, fallback = undefined) {
  const options = {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
  let parts;
  try {
    parts = formatter(Intl.DateTimeFormat, 'en-CA', {...options, timeZone: zone || fallback}).formatToParts(new Date(instant));
  } catch {
    parts = formatter(Intl.DateTimeFormat, 'en-CA', {...options, timeZone: fallback}).formatToParts(new Date(instant));
  }
  return Object.fromEntries(parts.map((x) => [x.type, x.value]));
}

// An instant ("2026-12-02T05:03:00Z") as the wall time in `zone` (the zone mitra uses, which
// Home keeps in localStorage as mitra.zone) in the form of localDateTime: "Wed 2 Dec, 06:03".
// Anything that is not an instant (a time typed as "21:00") is given back as it is.
export function instantInZone(text, zone = localStorage.getItem('mitra.zone')) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text ?? '')) return text ?? '';
  const p = wallClock(text, zone);
  return localDateTime(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`);
}

// A dose waiting on this device to be sent (lib/outbox.js): "1.5 g, Wed 2 Dec, 06:03".
export function pendingText(item) {
  const m = /^([\d.]+)\s*(.*)$/.exec(String(item.body.amount ?? ''));
  return `${m ? amount(m[1], m[2]) : item.body.amount}, ${instantInZone(item.body.at)}`;
}

// Bars drawn with CSS, one row per point with its label and number as text (what a screen
// reader reads): for small charts on pages that should not wait for the chart library (Home).
// `points` is [{label, value, highlight}].
export function barList({id, title, unit, points}) {
  const top = Math.max(1, ...points.map((p) => p.value));
  return h('figure', {class: 'chart bar-list', id},
    h('figcaption', {}, title),
    h('ol', {}, points.map((p) => {
      const bar = h('span', {class: p.highlight ? 'bar alt' : 'bar'});
      bar.style.setProperty('--share', String(p.value / top));
      return h('li', {}, h('span', {class: 'bar-label'}, p.label), h('span', {class: 'bar-track'}, bar),
        h('span', {class: 'bar-value'}, `${formatNumber(p.value)} ${unit}`));
    })));
}

// What to undo when the page is left (charts.js's charts to destroy): app.js calls leavePage before
// it shows another page, so that it need not load the modules that registered the work.
const leaving = new Set();
export function onLeave(work) {
  leaving.add(work);
}
export function leavePage() {
  for (const work of leaving) work();
  leaving.clear();
}
