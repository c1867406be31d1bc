// Check-in (how withdrawal and the day feel) and Self-reflection (the DSM-5 criteria or seven
// questions). One form engine for every instrument, drawn from its definition on the server.

import {get, newKey, post} from '../lib/api.js';
import {barChart} from '../lib/charts.js';
import {fill, h, localDate, localDateTime, showError, sources} from '../lib/dom.js';
import {mark, t} from '../lib/i18n.js';
import {profileCard} from './profile.js';

// The texts are marked here and translated when the page is drawn.
const kKinds = {
  checkin: {
    title: mark('Check-in'),
    intro: mark('A minute to note how you are. Over days, check-ins show whether things are easing.'),
    choose: mark('Choose a check-in'),
    instruments: [['checkin', mark('Daily: sleep, mood, cravings')], ['sows', mark('Withdrawal symptoms right now')]],
    endpoint: '/checkins',
    key: 'scale',
  },
  reflect: {
    title: mark('Self-reflection'),
    intro: mark('Questions to think about your use honestly. Your answers are yours; this is a reflection, not a diagnosis.'),
    choose: mark('Choose a self-reflection'),
    instruments: [['reflection', mark('Seven questions')], ['dsm5', mark('The 11 DSM-5 criteria')]],
    endpoint: '/reflections',
    key: 'instrument',
  },
};

export async function render(main, kind, rest = []) {
  const spec = kKinds[kind];
  const chosen = spec.instruments.some(([id]) => id === rest[0]) ? rest[0] : spec.instruments[0][0];
  const [instrument, history] = await Promise.all([
    get(`/instruments/${chosen}`),
    get(`${spec.endpoint}?instrument=${chosen}&limit=30`).catch(() => null),
  ]);
  const route = kind === 'checkin' ? 'checkin' : 'reflect';
  fill(main,
    h('h1', {}, t(spec.title)),
    h('p', {}, t(spec.intro)),
    h('nav', {class: 'choices', 'aria-label': t(spec.choose)},
      h('ul', {}, spec.instruments.map(([id, label]) => h('li', {},
        h('a', {href: `#/${route}/${id}`, 'aria-current': id === chosen ? 'page' : null}, t(label)))))),
    form(main, spec, instrument),
    past(instrument, history),
    kind === 'reflect' ? await profileCard() : null);
}

function form(main, spec, instrument) {
  const key = newKey();  // One submission, however often the button is pressed.
  const result = h('div', {class: 'result', 'aria-live': 'polite'});
  const message = h('div', {class: 'message'});
  const questions = instrument.items.map((item, index) => {
    const name = `q${index}`;
    // A long 0–10 scale: the numbers in an even grid, the words for its ends said once below.
    const wide = item.choices.length > 5;
    const ends = wide ? item.choices.filter((c) => c.label !== String(c.score)) : [];
    const endsId = `${name}-ends`;
    // Items kept in English (see language_note) are marked so, for screen readers' pronunciation.
    return h('fieldset', {class: 'question', id: `${name}-set`, 'aria-describedby': ends.length ? endsId : null,
      lang: instrument.language_note ? 'en' : null},
      h('legend', {}, `${index + 1}. ${item.text}`),
      h('div', {class: wide ? 'scale wide' : 'scale'},
        item.choices.map((choice) => h('label', {class: 'choice'},
          h('input', {type: 'radio', name, value: String(choice.score), required: true}),
          h('span', {}, wide ? String(choice.score) : choice.label)))),
      ends.length ? h('p', {class: 'scale-ends muted', id: endsId},
        ends.map((c) => `${c.score} = ${c.label}`).join(' · ')) : null);
  });
  const element = h('form', {class: 'card assess', novalidate: true, 'aria-labelledby': 'assess-h'},
    h('h2', {id: 'assess-h'}, instrument.title),
    h('p', {}, instrument.prompt),
    // Questions kept in English (no validated version in this language is cited) say so here.
    instrument.language_note ? h('p', {class: 'note language-note', role: 'note'}, instrument.language_note) : null,
    sources(instrument.sources),
    questions,
    h('button', {type: 'submit', class: 'primary'}, t('See my answers')),
    message,
    result);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(element);
    const answers = [];
    for (let i = 0; i < instrument.items.length; ++i) {
      const value = data.get(`q${i}`);
      if (value === null) {
        fill(message, h('p', {class: 'error', role: 'alert'},
          t('Question {number} has no answer yet (“{question}”).', {number: i + 1, question: instrument.items[i].text})));
        element.querySelector(`input[name=q${i}]`).focus();
        return;
      }
      answers.push(Number(value));
    }
    fill(message);
    try {
      const reply = await post(spec.endpoint, {[spec.key]: instrument.id, answers}, {'Idempotency-Key': key});
      fill(result, outcome(instrument, reply));
      result.querySelector('h3')?.focus();
    } catch (error) {
      showError(message, error);
    }
  });
  return element;
}

function outcome(instrument, reply) {
  const band = instrument.bands?.find((b) => b.id === reply.band);
  return h('section', {class: 'outcome'},
    h('h3', {tabindex: -1}, instrument.kind === 'yes_no'
      ? t('You answered yes to {count} of {total}.', {count: reply.total, total: instrument.items.length})
      : t('Your total: {total}.', {total: reply.total})),
    band ? h('p', {}, band.text) : null,
    instrument.note ? h('p', {class: 'muted'}, instrument.note) : null,
    sources(reply.sources),
    reply.pathways?.length ? h('div', {class: 'pathways'},
      h('h3', {}, t('What could help')),
      reply.pathways.map((p) => h('div', {class: 'pathway'},
        h('h4', {}, p.title), h('p', {}, p.text ?? p.description ?? ''), sources(p.sources)))) : null,
    h('p', {}, t('Saved to your history. '), h('a', {href: '#/help'}, t('Talk to someone'))));
}

function past(instrument, history) {
  const group = (history?.history ?? []).find((g) => g.instrument === instrument.id);
  const entries = group?.entries ?? [];
  if (!entries.length) return null;
  const points = entries.slice().reverse().map((e) => ({
    label: localDate(e.taken_at_local, {weekday: false}),
    value: e.total,
  }));
  return h('section', {class: 'card', 'aria-labelledby': 'past-h'},
    h('h2', {id: 'past-h'}, t('Your past answers')),
    points.length > 1 ? barChart({id: 'past-chart', title: t('{title}: totals', {title: instrument.title}), unit: t('total'), points,
      summary: t('Past totals, oldest first: {totals}.', {totals: points.map((p) => `${p.label} ${p.value}`).join(', ')})}) : null,
    h('ul', {class: 'plain'}, entries.slice(0, 10).map((e) =>
      h('li', {}, t('{when}: total {total}', {when: localDateTime(e.taken_at_local), total: e.total}),
        e.band ? ` (${instrument.bands.find((b) => b.id === e.band)?.label ?? e.band})` : ''))),
    Number.isInteger(group?.change) && group.change !== 0
      ? h('p', {class: 'muted'}, group.change < 0
        ? t('Your latest total is {change} lower than the one before.', {change: Math.abs(group.change)})
        : t('Your latest total is {change} higher than the one before.', {change: Math.abs(group.change)}))
      : null);
}
