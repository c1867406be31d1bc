// "About you": the history answers and the reasons kratom came into a life, which point to the
// kinds of help that fit (care pathways, each with sources). Every question may be skipped.

import {get, put} from '../lib/api.js';
import {fill, h, field, onSubmit, sources, toast} from '../lib/dom.js';
import {mark, t} from '../lib/i18n.js';

const kQuestions = [
  ['prescription_opioid_use', mark('Have you ever used prescription opioids?')],
  ['benzodiazepine_use', mark('Have you ever used benzodiazepines?')],
  ['relapse_after_quitting', mark('Did an earlier attempt to quit kratom end with going back?')],
  ['pregnant', mark('Are you pregnant?')],
  ['on_opioid_treatment', mark('Do you take buprenorphine or methadone?')],
];
const kReasons = [
  ['pain', mark('Pain')], ['anxiety', mark('Anxiety')], ['trauma', mark('Trauma')], ['low_mood', mark('Low mood')],
  ['getting_off_opioids_or_benzodiazepines', mark('Getting off opioids or benzodiazepines')],
  ['energy_for_work', mark('Energy for work')], ['other', mark('Something else')],
];
const kAnswers = {yes: mark('yes'), no: mark('no'), skip: mark('rather not say')};

export async function profileCard() {
  const current = await get('/profile');
  const profile = current.profile ?? {};
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const pathways = h('div', {class: 'pathways', 'aria-live': 'polite'});
  const showPathways = (list) => fill(pathways, list?.length ? [
    h('h3', {}, t('Help that fits what you told us')),
    list.map((p) => h('div', {class: 'pathway'}, h('h4', {}, p.title), h('p', {}, p.text), sources(p.sources)))] : null);
  showPathways(current.pathways);

  const yesNo = ([key, question]) => h('fieldset', {class: 'question'},
    h('legend', {}, t(question)),
    h('div', {class: 'scale'}, [['yes', true], ['no', false], ['skip', null]].map(([label, value]) =>
      h('label', {class: 'choice'},
        h('input', {type: 'radio', name: key, value: label,
          checked: (profile[key] ?? null) === value}),
        h('span', {}, t(kAnswers[label]))))));
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'profile-h'},
    h('h2', {id: 'profile-h'}, t('About you')),
    h('p', {class: 'muted'}, t('Asked without judgement, to point you to help that fits and to tailor safety notes. Your answers stay on this machine. Skip anything.')),
    kQuestions.map(yesNo),
    field(t('About how many years have you used kratom regularly?'),
      h('input', {name: 'years_of_use', type: 'text', inputmode: 'decimal', autocomplete: 'off',
        value: profile.years_of_use ?? ''})),
    h('fieldset', {}, h('legend', {}, t('What brought kratom into your life?')),
      kReasons.map(([value, label]) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'reasons', value, checked: (profile.reasons ?? []).includes(value)}), ` ${t(label)}`))),
    field(t('In your words (if something else)'), h('input', {name: 'other_reason', type: 'text',
      autocomplete: 'off', value: profile.other_reason ?? ''})),
    h('button', {type: 'submit', class: 'primary'}, t('Save')),
    message,
    pathways);
  onSubmit(form, message, async (data) => {
    const body = {reasons: data.getAll('reasons').map(String)};
    for (const [key] of kQuestions) {
      const value = data.get(key);
      if (value === 'yes') body[key] = true;
      if (value === 'no') body[key] = false;
    }
    const years = String(data.get('years_of_use') ?? '').trim().replace(',', '.');
    if (years) body.years_of_use = Number.isFinite(Number(years)) ? Number(years) : years;
    const other = String(data.get('other_reason') ?? '').trim();
    if (other) body.other_reason = other;
    const saved = await put('/profile', body);
    fill(message, h('p', {class: 'ok'}, t('Saved.')));
    toast(t('Your answers are saved.'));
    showPathways(saved.pathways);
  });
  return form;
}
