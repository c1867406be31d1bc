// Plan: the taper plan's steps, today's schedule, hold / resume / adjust, and the calendar file.
// The planner stretches the time between doses first, then trims the amount (docs/taper.md).

import {ApiError, get, newKey, post} from '../lib/api.js';
import {amount, fill, h, field, hoursApart, localDate, localTime, onSubmit, showError, sources, toast, words} from '../lib/dom.js';
import {formatNumber, mark, t} from '../lib/i18n.js';
import {checkedAmount, select} from './dose_form.js';
import {NOT_ADVICE, notAdvice} from './not_advice.js';

// The texts are marked here and translated when the page is drawn.
const PACES = [
  ['slow', mark('Slow: at most 10 % less a day every 30 days (about a month), as suggested after a year or more of use'), ['S36b', 'S36c']],
  ['gentle', mark('Gentle: at most 10 % less a day every 14 days (twice as fast as slow)'), ['S36b', 'S36c']],
  ['steady', mark('Steady: at most 10 % less a day every 7 days (the pace suggested for shorter use; faster than advised after a year or more)'), ['S36b', 'S36c', 'S37']],
  ['brisk', mark("Brisk: at most 20 % less a day every 7 days (mitra's own option, faster than any cited pace)"), ['S36b', 'S36c']],
];
// A plan's pace by name, as the summary says it.
const PACE_NAMES = {slow: mark('slow'), gentle: mark('gentle'), steady: mark('steady'), brisk: mark('brisk')};
const INVOLVE_PROVIDER = {
  pregnant: {text: mark('You are pregnant: talk to your prenatal care provider before you start, so that any change to your kratom use is planned with them. The pace starts at the slowest.'),
    sources: ['S22']},
  on_opioid_treatment: {text: mark('You take buprenorphine or methadone: talk to your prescriber before you start, and do not stop or change your medication on your own. The pace starts at the slowest.'),
    sources: ['S38b', 'S47', 'S33']},
};

// The pace a new plan starts at, as core::default_pace chooses it.
function defaultPace(profile) {
  if ((profile?.years_of_use ?? 0) >= 1 || profile?.pregnant || profile?.on_opioid_treatment) return 'slow';
  return 'steady';
}

export async function render(main) {
  let plan = null;
  try {
    plan = await get('/plans/current');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const profile = (await get('/profile').catch(() => null))?.profile ?? {};
  if (!plan) {
    fill(main,
      h('h1', {}, t('Plan')),
      notAdvice(),
      h('p', {}, t('A taper plan first spaces your doses further apart, then makes each dose a little smaller, step by step, at a pace you choose. It adapts if a day goes over.')),
      newPlanForm(main, false, profile));
    return;
  }
  const [today, status] = await Promise.all([
    get('/plans/current/today').catch(() => null),
    get('/plans/current/status').catch(() => null),
  ]);
  fill(main,
    h('h1', {}, t('Plan')),
    notAdvice(plan.notes?.not_advice ?? NOT_ADVICE),
    summary(plan, status),
    todayCard(today, plan),
    actions(main, plan, status),
    steps(plan),
    calendar(),
    h('details', {class: 'card'}, h('summary', {}, t('Start a new plan instead')), newPlanForm(main, true, profile)));
}

function summary(plan, status) {
  const inputs = plan.inputs;
  return h('section', {class: 'card', 'aria-labelledby': 'plan-h'},
    h('h2', {id: 'plan-h'}, inputs.goal === 'stop' ? t('Your plan: stop, gradually') :
      t('Your plan: come down to {amount} a day', {amount: amount(inputs.target, plan.unit)})),
    h('p', {}, t('Pace: {pace} (at most {percent}% less a day every {days} days). ', {
      pace: PACE_NAMES[inputs.pace] ? t(PACE_NAMES[inputs.pace]) : inputs.pace,
      percent: formatNumber(plan.pace_rule.max_fall_percent), days: plan.pace_rule.step_days}),
      plan.pace_rule.description ?? '', ' ', sources(plan.pace_rule.sources)),
    plan.notes?.how_it_works ? h('p', {}, plan.notes.how_it_works.text, ' ', sources(plan.notes.how_it_works.sources)) : null,
    plan.notes?.own_choices ? h('p', {class: 'muted'}, plan.notes.own_choices.text, ' ', sources(plan.notes.own_choices.sources)) : null,
    h('p', {}, t('First day {date}. Version {version}.', {date: localDate(inputs.start), version: plan.version})),
    status?.held || plan.holds?.some((hold) => !hold.until && !hold.ended_on)
      ? h('p', {class: 'note'}, t('On hold: the plan stays at the current step until you resume.')) : null,
    status?.hold_suggested ? h('p', {class: 'note'}, status.hold_reason) : null);
}

function todayCard(today, plan) {
  if (!today) return null;
  const doses = today.doses ?? [];
  return h('section', {class: 'card', 'aria-labelledby': 'today-plan-h'},
    h('h2', {id: 'today-plan-h'}, t('Today, {date}', {date: localDate(today.day)})),
    doses.length
      ? h('ol', {class: 'schedule'}, doses.map((d) => h('li', {}, h('strong', {}, localTime(d.at_local)), ` ${amount(d.amount, d.unit ?? plan.unit)}`)))
      : h('p', {}, today.step ? t('No doses are planned today.')
        : plan.steps?.length ? t('The plan starts on {date}.', {date: localDate(plan.steps[0].starts_on)}) : t('The plan has not started yet.')),
    // Before the plan's first day nothing is planned, so there is no "3 of 0" (issue 14).
    today.so_far && today.so_far.in_plan !== false
      ? h('p', {}, soFarToday(today.so_far)) : null);
}

function soFarToday(soFar) {
  const values = {done: soFar.actual_doses, planned: soFar.planned_doses};
  return soFar.planned_doses === 1 ? t('So far today: {done} of {planned} dose.', values)
    : t('So far today: {done} of {planned} doses.', values);
}

function actions(main, plan, status) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const run = (path, body, done) => async () => {
    try {
      await post(path, body);
      await render(main);
      toast(done);
    } catch (error) {
      showError(message, error);
    }
  };
  const held = status?.held ?? false;
  const reason = h('input', {name: 'reason', type: 'text', autocomplete: 'off'});
  return h('section', {class: 'card', 'aria-labelledby': 'actions-h'},
    h('h2', {id: 'actions-h'}, t('Change course')),
    h('p', {class: 'muted'}, t('Hard days are part of it. Holding keeps you at the current step; adjusting re-plans from how the last days actually went.')),
    held
      ? h('button', {type: 'button', class: 'primary', onclick: run('/plans/current/resume', {}, t('Plan resumed.'))}, t('Resume the plan'))
      : h('div', {}, field(t('Why hold? (optional)'), reason),
        h('button', {type: 'button', onclick: () => run('/plans/current/hold', {reason: reason.value.trim()}, t('Plan on hold.'))()}, t('Hold at this step'))),
    ' ',
    h('button', {type: 'button', onclick: run('/plans/current/adjust', {}, t('Plan adjusted.'))}, t('Adjust to how it is going')),
    message);
}

// One row per step; on a narrow screen each row is a card with every value labelled (the
// column headers stay for screen readers), so nothing is hidden off to the side.
const STEP_COLUMNS = [mark('From'), mark('To'), mark('Doses a day'), mark('Every'), mark('Each dose'), mark('A day'), mark('Change')];

function steps(plan) {
  // The roles are said outright: a table laid out as cards loses its implicit ones in some browsers.
  const cell = (label, ...value) => h('td', {role: 'cell', 'data-label': t(label)},
    h('span', {class: 'cell-label', 'aria-hidden': 'true'}, t(label)), value);
  return h('section', {class: 'card', 'aria-labelledby': 'steps-h'},
    h('h2', {id: 'steps-h'}, t('Steps')),
    h('div', {class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'steps-h'},
      h('table', {class: 'steps', role: 'table'},
        h('thead', {role: 'rowgroup'}, h('tr', {role: 'row'}, STEP_COLUMNS.map((column) => h('th', {scope: 'col', role: 'columnheader'}, t(column))))),
        h('tbody', {role: 'rowgroup'}, plan.steps.map((s) => h('tr', {class: 'step', role: 'row'},
          cell('From', localDate(s.starts_on)), cell('To', s.ends_on ? localDate(s.ends_on) : '—'),
          cell('Doses a day', String(s.doses_per_day)), cell('Every', s.interval_hours ? hoursApart(s.interval_hours) : '—'),
          cell('Each dose', amount(s.amount_per_dose, plan.unit),
            s.last_dose !== undefined && s.last_dose !== s.amount_per_dose && s.kind !== 'stop'
              ? t(', last {amount}', {amount: amount(s.last_dose, plan.unit)}) : ''),
          cell('A day', amount(s.daily_total, plan.unit)),
          // Each step says why it is what it is (core::step_reasons); older plans show the kind.
          cell('Change', s.reason || words(s.kind))))))));
}

function calendar() {
  return h('section', {class: 'card', 'aria-labelledby': 'cal-h'},
    h('h2', {id: 'cal-h'}, t('Calendar')),
    h('p', {}, t('Add the planned doses to your calendar app. Event titles are discreet ("Reminder"), so they say nothing to someone glancing at your phone. After you adjust the plan or start a new one, download it again and open it: reminders for doses the plan no longer has are cancelled.')),
    h('p', {class: 'actions'},
      h('a', {class: 'button', href: '/api/v1/plans/current/ics', download: 'mitra-plan.ics'}, t('Download calendar (.ics)')),
      ' ',
      h('a', {href: '/api/v1/plans/current/ics?wording=descriptive', download: 'mitra-plan.ics'}, t('with descriptive titles'))));
}

function newPlanForm(main, replacing, profile = {}) {
  const key = newKey();
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const target = h('input', {name: 'target', type: 'text', autocomplete: 'off', placeholder: t('e.g. 4g')});
  // Pregnant, or on buprenorphine or methadone: involve the provider first, and confirm.
  const notes = Object.entries(INVOLVE_PROVIDER).filter(([flag]) => profile?.[flag]).map(([, note]) => note);
  const involve = notes.length ? h('div', {class: 'note involve-provider', role: 'note'},
    notes.map((note) => h('p', {}, t(note.text), ' ', sources(note.sources))),
    h('div', {class: 'choice'}, h('input', {type: 'checkbox', name: 'provider_confirmed', id: 'provider-confirmed'}),
      h('label', {for: 'provider-confirmed'}, t('I have talked to my provider, or will before I start')))) : null;
  const form = h('form', {class: replacing ? '' : 'card', novalidate: true, 'aria-labelledby': replacing ? null : 'new-plan-h'},
    replacing ? null : h('h2', {id: 'new-plan-h'}, t('Make a plan')),
    h('p', {class: 'muted'}, t('The plan starts from your last 7 days in the journal. New to the journal? Tell it how you take kratom now instead:')),
    h('fieldset', {'data-field': 'pattern'}, h('legend', {}, t('How you take it now (optional)')),
      h('div', {class: 'amount-row'},
        field(t('Doses a day'), h('input', {name: 'doses_per_day', type: 'text', inputmode: 'numeric', autocomplete: 'off', size: 4})),
        field(t('Hours apart'), h('input', {name: 'interval_hours', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: 4})),
        field(t('Each dose'), h('input', {name: 'amount_per_dose', type: 'text', autocomplete: 'off', placeholder: t('e.g. 2.5g'), size: 6})))),
    field(t('Form to plan for'), select('form', [['', t('The one form I logged')], ['leaf', t('Leaf (powder or capsules)')],
      ['extract', t('Extract')], ['seven_oh', t('7-OH product')], ['liquid_shot', t('Liquid shot')], ['other', t('Other')]], ''),
    t('Leaf, extract and 7-OH differ in strength, so mitra never adds them together. If your last 7 days mix forms, choose the one this plan is for.')),
    field(t('Goal'), select('goal', [['stop', t('Stop')], ['reduce', t('Reduce to a daily amount')]], 'stop')),
    field(t('Daily amount to reach (for reduce)'), target),
    h('fieldset', {'data-field': 'pace'}, h('legend', {}, t('Pace')),
      PACES.map(([id, label, keys]) => h('div', {class: 'choice'},
        h('input', {type: 'radio', name: 'pace', value: id, id: `pace-${id}`, checked: id === defaultPace(profile)}),
        h('label', {for: `pace-${id}`}, t(label)), ' ', sources(keys)))),
    involve,
    field(t('First day'), h('input', {name: 'start', type: 'date'}),
      t('Empty: today, or tomorrow when you have already logged doses today')),
    h('div', {class: 'amount-row'},
      field(t('Usually awake at'), h('input', {name: 'wake', type: 'time', value: '07:00'})),
      field(t('Usually asleep at'), h('input', {name: 'sleep', type: 'time', value: '23:00'}))),
    h('button', {type: 'submit', class: 'primary'}, replacing ? t('Replace my plan') : t('Make my plan')),
    message);
  onSubmit(form, message, async (data) => {
    if (involve && !data.get('provider_confirmed')) {
      throw new ApiError(400, {field: 'provider_confirmed', message: t('Please confirm that you have talked, or will talk, to your provider before you start.')});
    }
    const body = {};
    for (const name of ['goal', 'pace', 'target', 'start', 'wake', 'sleep', 'form']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) body[name] = value;
    }
    if (body.goal !== 'reduce') delete body.target;
    const doses = String(data.get('doses_per_day') ?? '').trim();
    const hours = String(data.get('interval_hours') ?? '').trim().replace(',', '.');
    const each = String(data.get('amount_per_dose') ?? '').trim();
    // All three or none; checked here so that the answer names the box, in plain words.
    if (doses || hours || each) {
      if (!/^\d+$/.test(doses) || Number(doses) < 1) {
        throw new ApiError(400, {field: 'doses_per_day', message: t('Enter how many doses you take a day, as a whole number such as 5.')});
      }
      if (!/^\d+(\.\d+)?$/.test(hours) || Number(hours) <= 0) {
        throw new ApiError(400, {field: 'interval_hours', message: t('Enter the hours between doses, for example 3.')});
      }
      body.pattern = {doses_per_day: Number(doses), interval_hours: Number(hours),
        amount_per_dose: checkedAmount(each, 'g', {fieldName: 'amount_per_dose', what: mark('how much each dose is')})};
    }
    const made = await post('/plans', body, {'Idempotency-Key': key});
    await render(main);
    toast(made && made.start_note ? t('Your plan is ready. {note}', {note: made.start_note}) : t('Your plan is ready.'));
  });
  return form;
}
