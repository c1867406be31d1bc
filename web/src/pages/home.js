// Home: time since the last dose, one-tap logging, today against the plan, the withdrawal
// phase, and any urgent advisory.

import {get, Unreachable} from '../lib/api.js';
import {amount, append, barList, duration, fill, h, hoursApart, localDate, localDateTime, pendingText, perDay, showError, sources, toast, wallClock} from '../lib/dom.js';
import {t, withParts} from '../lib/i18n.js';
import * as outbox from '../lib/outbox.js';
import {doseBody, doseFields} from './dose_form.js';
import {notAdvice} from './not_advice.js';

let ticker = null;

export async function render(main) {
  let status, withdrawal, safety, settings;
  try {
    [status, withdrawal, safety, settings] = await Promise.all([
      get('/status'), get('/withdrawal'), get('/safety').catch(() => ({advisories: []})),
      get('/settings').catch(() => ({configured: true}))]);
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    return renderOffline(main);
  }
  clearInterval(ticker);
  // The zone Home's times are in, for the doses waiting on this device (lib/dom.js instantInZone).
  if (status.zone) localStorage.setItem('mitra.zone', status.zone);
  const heading = h('h1', {}, t('Today'));
  fill(main,
    heading,
    advisories((status.urgent_advisories ?? []).map((a) =>
      ({...(safety.advisories ?? []).find((full) => full.id === a.id), ...a}))),
    settings.configured ? null : welcome(status.zone ?? settings.zone_in_use ?? settings.zone),
    lastDose(status),
    quickLog(status));
  // The rest in a task of its own, so that the browser may paint the top of the page and answer
  // a tap in between: on a slow phone the whole page at once was one long task (issue 15).
  await nextTask();
  if (!heading.isConnected) return;  // Another page was opened meanwhile.
  append(main, [
    waiting(),
    today(status, waitingOn(status.today, settings.zone_in_use ?? status.zone, settings.day_start)),
    phase(withdrawal),
    safetyNotes(safety.advisories, status.urgent_advisories),
    week(status.week)]);
}

// Resolves in a later task: the browser's scheduler.yield() where it has one (the rest of the
// work keeps its place in line), else a timer.
function nextTask() {
  return globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

// Without the server (offline, or mitra serve stopped) logging still works: doses wait on this
// device and sync later.
function renderOffline(main) {
  clearInterval(ticker);
  let last = null;
  try {
    last = JSON.parse(localStorage.getItem('mitra.last_dose') ?? 'null');
  } catch {
    last = null;
  }
  // What this device last heard from the server, and what waits here since.
  const known = {last_dose: last, last_dose_at: last?.taken_at ?? null};
  fill(main,
    h('h1', {}, t('Today')),
    h('p', {class: 'card note', role: 'status'}, t('mitra cannot reach its server right now. You can still log doses: they are kept on this device and sync when the server is back.')),
    known.last_dose_at || newestWaiting(null) ? lastDose(known) : null,
    quickLog(known),
    waiting());
}

// The first visit: what mitra is, and the one setting that matters (the time zone).
// `zone`: the zone the page's times are actually shown in (status's), not only the saved one.
function welcome(zone) {
  return h('section', {class: 'card', 'aria-labelledby': 'welcome-h'},
    h('h2', {id: 'welcome-h'}, t('Welcome to mitra')),
    h('p', {}, t('A private journal and taper planner. Everything stays on this machine; nothing is sent anywhere.')),
    h('p', {}, withParts(t('Times are shown in {zone}. If that is not where you are, or your days end late, {link}.', {zone}),
      {link: h('a', {href: '#/settings'}, t('set your time zone and day start'))})),
    h('p', {}, t('Then log each dose below as you take it. A plan, check-ins and facts are one tap away above.')));
}

// Urgent advisories: first on the page, open, never folded away (issue 13).
function advisories(list) {
  if (!list?.length) return null;
  return h('section', {class: 'card urgent', id: 'urgent', 'aria-labelledby': 'urgent-h'},
    h('h2', {id: 'urgent-h'}, t('Urgent: please read this first')),
    list.map((a) => h('div', {class: 'advisory', role: 'alert', 'data-advisory': a.id}, h('p', {}, a.message),
      a.what_to_do ? h('p', {}, h('strong', {}, t('What to do: ')), a.what_to_do) : null,
      a.estimate ? h('p', {class: 'muted'}, t("mitra's own estimate: {estimate}", {estimate: a.estimate})) : null,
      sources(a.sources))),
    h('p', {}, h('a', {href: '#/help'}, t('Get help now'))));
}

// The advisories that are not urgent, folded away but one tap open. Urgent ones are never here:
// those set off by the journal are open at the top, and the emergency and 988 lines are in
// every page's footer.
function safetyNotes(all, urgent) {
  const shown = new Set((urgent ?? []).map((a) => a.id));
  const rest = (all ?? []).filter((a) => !shown.has(a.id) && a.level !== 'urgent');
  if (!rest.length) return null;
  return h('details', {class: 'card'},
    h('summary', {}, t('Safety notes for you ({count})', {count: rest.length})),
    rest.map((a) => h('div', {class: 'advisory'},
      h('p', {}, a.message),
      a.what_to_do ? h('p', {}, h('strong', {}, t('What to do: ')), a.what_to_do) : null,
      a.because?.length ? h('p', {class: 'muted'}, t('Why you see this: {reasons}.', {reasons: a.because.join('; ')})) : null,
      a.estimate ? h('p', {class: 'muted'}, t("mitra's own estimate: {estimate}", {estimate: a.estimate})) : null,
      sources(a.sources))));
}

// The newest dose waiting on this device to be sent, when it was taken after `lastAt` (the
// server's last dose): it is the last dose, even before the server has it.
function newestWaiting(lastAt) {
  const taken = (item) => (/T/.test(item.body.at ?? '') ? Date.parse(item.body.at) : NaN);
  const items = outbox.pending().filter((item) => !item.error && !Number.isNaN(taken(item)))
    .sort((a, b) => taken(b) - taken(a));
  if (!items.length) return null;
  return !lastAt || taken(items[0]) > Date.parse(lastAt) ? items[0] : null;
}

// Time since the last dose: the server's, or a newer one that waits on this device, marked as
// not yet sent (bug: after an offline log Home still counted from the dose before it).
function lastDose(status) {
  const queued = newestWaiting(status.last_dose_at);
  const lastAt = queued ? queued.body.at : status.last_dose_at;
  const since = h('p', {class: 'big', id: 'since'});
  const update = () => {
    if (!lastAt) {
      since.textContent = t('No doses logged yet.');
      return;
    }
    const hours = (Date.now() - Date.parse(lastAt)) / 3600000;
    since.textContent = t('{time} since your last dose', {time: duration(hours)});
  };
  update();
  ticker = setInterval(() => (since.isConnected ? update() : clearInterval(ticker)), 30000);
  const last = status.last_dose;
  return h('section', {class: 'card', 'aria-labelledby': 'since'},
    since,
    queued
      ? h('p', {class: 'muted', id: 'last-waiting'}, t('Last: {dose}, on this device, not yet sent.', {dose: pendingText(queued)}))
      : last ? h('p', {class: 'muted'}, t('Last: {amount} on {when}', {amount: amount(last.amount, last.unit), when: localDateTime(last.taken_at_local)})) : null);
}

function quickLog(status) {
  const last = status.last_dose;
  if (last?.taken_at) {
    localStorage.setItem('mitra.last_dose', JSON.stringify({amount: last.amount, unit: last.unit, form: last.form,
      product: last.product, taken_at: last.taken_at, taken_at_local: last.taken_at_local}));
  }
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {class: 'card quick-log', 'aria-labelledby': 'log-h', novalidate: true},
    h('h2', {id: 'log-h'}, t('Log a dose')),
    doseFields(last ? {amount: last.amount, unit: last.unit, form: last.form, product: last.product} : {}, {compact: true}),
    h('button', {type: 'submit', class: 'primary'}, t('Log dose')),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const body = doseBody(form);
      localStorage.setItem('mitra.unit', new FormData(form).get('unit'));
      const result = await outbox.logDose(body);
      // The page is refreshed first (the last dose is the one just logged, sent or not) and the
      // confirmation comes with it: a form replaced after it would drop whatever was typed into
      // it meanwhile. Focus stays on the button, and the toast keeps clear of it.
      const main = form.closest('main');
      await render(main);
      const again = main.querySelector('form.quick-log');
      again?.querySelector('button[type=submit]')?.focus({preventScroll: true});
      if (result.queued) {
        // Said once, beside the button: no toast over it as well.
        fill(again?.querySelector('.message') ?? message,
          h('p', {class: 'ok'}, t('Saved on this device. It will sync when mitra can reach its server.')));
      } else {
        toast(t('Logged {amount}.', {amount: amount(result.dose.amount, result.dose.unit)}));
      }
    } catch (error) {
      showError(message, error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function waiting() {
  const items = outbox.pending();
  if (!items.length) return null;
  return h('section', {class: 'card', 'aria-labelledby': 'waiting-h'},
    h('h2', {id: 'waiting-h'}, t('Waiting to sync')),
    h('ul', {class: 'plain'}, items.map((item) => h('li', {},
      pendingText(item),
      item.error ? h('span', {class: 'error'}, t(' — not accepted: {reason} ', {reason: item.error})) : t(' — will sync'),
      item.error ? h('button', {type: 'button', class: 'link', onclick: () => {
        outbox.discard(item.key);
        item.error && toast(t('Discarded.'));
        render(document.getElementById('main'));
      }}, t('Discard')) : null))));
}

// The journal day ("2026-12-02") of an instant in `zone`, with days starting at `dayStart`
// ("04:00") after local midnight, as the server counts days (docs/pattern.md).
function journalDay(instant, zone, dayStart) {
  const p = wallClock(instant, zone);
  const m = /^(\d{2}):(\d{2})$/.exec(dayStart ?? '');
  const startMinutes = m ? Number(m[1]) * 60 + Number(m[2]) : 4 * 60;
  const local = Date.UTC(+p.year, p.month - 1, +p.day, +p.hour, +p.minute) - startMinutes * 60000;
  return new Date(local).toISOString().slice(0, 10);
}

// The doses waiting on this device (not refused) that were taken on journal day `day`: Home
// counts them today, marked as not yet sent, as it shows the newest of them as the last dose.
function waitingOn(day, zone, dayStart) {
  if (!day) return [];
  return outbox.pending().filter((item) => !item.error && /T/.test(item.body.at ?? '') &&
    !Number.isNaN(Date.parse(item.body.at)) && journalDay(item.body.at, zone, dayStart) === day);
}

// Grams of a waiting dose's amount ("1.5 g", "1500mg"), or null when its weight is not known
// here (capsules, teaspoons, millilitres).
function waitingGrams(item) {
  const m = /^([\d.]+)\s*(g|mg)?$/.exec(String(item.body.amount ?? '').trim());
  if (!m) return null;
  return m[2] === 'mg' ? Number(m[1]) / 1000 : Number(m[1]);
}

// Whether today went over the plan, counting the doses waiting on this device as the server
// will once they are sent: more doses, or more in all, than planned (core::compare_day). Bug:
// a dose waiting on the device counted in "So far: 3 of 2" but not in the note.
function overPlan(plan, queued) {
  const day = plan.today;
  if (day.over_plan) return true;
  if (!day.in_plan || !queued.length) return false;
  if (day.actual_doses + queued.length > day.planned_doses) return true;
  if (plan.unit !== 'g') return false;
  const grams = queued.map(waitingGrams).reduce((sum, g) => sum + (g ?? 0), 0);
  return day.actual_amount + grams > day.planned_amount + 1e-9;
}

// Today's doses: the server's, and those waiting on this device, marked as not yet sent (bug:
// Home showed a waiting dose as the last dose but did not count it today).
function today(status, queued = []) {
  const count = status.today_doses + queued.length;
  const grams = queued.map(waitingGrams);
  const total = status.today_amount + grams.reduce((sum, g) => sum + (g ?? 0), 0);
  const unknown = grams.filter((g) => g === null).length;
  const notSent = () => {
    if (queued.length !== count) return t(' ({count} of them on this device, not yet sent)', {count: queued.length});
    return count === 1 ? t(' (it is on this device, not yet sent)') : t(' (all are on this device, not yet sent)');
  };
  const parts = [h('p', {id: 'today-doses'}, count === 1 ? t('{count} dose today', {count}) : t('{count} doses today', {count}),
    total > 0 ? `, ${amount(total, status.unit)}` : '',
    unknown ? t(' (+{count} without a known weight)', {count: unknown}) : '',
    queued.length ? notSent() : '',
    '.')];
  const plan = status.plan;
  if (plan) {
    const step = plan.step;
    if (plan.held) {
      parts.push(h('p', {}, t('Your plan is on hold: keep to the current step until you feel ready. '),
        h('a', {href: '#/plan'}, t('Plan'))));
    } else if (step) {
      const values = {doses: step.doses_per_day, amount: amount(step.amount_per_dose, plan.unit),
        interval: hoursApart(step.interval_hours), total: amount(step.daily_total, plan.unit)};
      parts.push(h('p', {}, step.doses_per_day === 1
        ? t('Plan for today: up to {doses} dose of {amount}, about every {interval} ({total} in all).', values)
        : t('Plan for today: up to {doses} doses of {amount}, about every {interval} ({total} in all).', values)));
      const soFar = {done: plan.today.actual_doses + queued.length, planned: plan.today.planned_doses};
      parts.push(h('p', {id: 'plan-so-far'}, soFar.planned === 1
        ? t('So far: {done} of {planned} dose', soFar) : t('So far: {done} of {planned} doses', soFar),
        queued.length ? t(' ({count} not yet sent)', {count: queued.length}) : '', '.'));
    }
    if (overPlan(plan, queued)) parts.push(h('p', {class: 'note', id: 'over-plan'}, t('Today went over the plan. That happens; the plan can wait for you. '), h('a', {href: '#/plan'}, t('Hold or adjust'))));
    if (plan.hold_suggested) parts.push(h('p', {class: 'note'}, plan.hold_reason));
    parts.push(notAdvice());
  } else {
    parts.push(h('p', {class: 'muted'}, t('No taper plan yet. '), h('a', {href: '#/plan'}, t('Make a plan'))));
  }
  return h('section', {class: 'card', 'aria-labelledby': 'today-h'}, h('h2', {id: 'today-h'}, t('Today so far')), parts);
}

function phase(w) {
  if (!w.phase) return null;
  return h('section', {class: 'card', 'aria-labelledby': 'phase-h'},
    h('h2', {id: 'phase-h'}, t('Where you may be: {phase}', {phase: w.title})),
    h('p', {class: 'muted'}, w.timing),
    h('p', {}, w.what_happens),
    w.what_helps?.length ? h('ul', {}, w.what_helps.map((text) => h('li', {}, text))) : null,
    w.next ? h('p', {}, t('Next: {phase}, {timing}.', {phase: w.next.title.toLowerCase(), timing: w.next.timing})) : null,
    sources(w.sources),
    h('p', {class: 'muted'}, t('Everyone is different; these are typical ranges, not a forecast. '),
      h('a', {href: '#/checkin'}, t('Check in on how you feel'))));
}

function week(pattern) {
  if (!pattern?.dose_count) return null;
  const points = pattern.per_day.map((d) => ({label: localDate(d.day, {weekday: false}), value: d.doses}));
  return h('section', {class: 'card', 'aria-labelledby': 'week-h'},
    h('h2', {id: 'week-h'}, t('The last 7 days')),
    h('p', {}, t('{count} doses a day on average', {count: perDay(pattern.doses_per_day)}),
      pattern.median_interval_hours !== null ? t(', usually about {interval} apart', {interval: hoursApart(pattern.median_interval_hours)}) : '', '.'),
    barList({id: 'week-chart', title: t('Doses per day'), unit: t('doses'), points}),
    h('p', {class: 'actions'}, h('a', {href: '#/pattern'}, t('Your pattern over 7, 28 or 90 days')),
      h('a', {href: '#/journal'}, t('See the journal'))));
}

