// The not-medical-advice notice, shared by Home and Plan (a small module, so Home does not load
// the Plan page to show it).

import {h, sources} from '../lib/dom.js';
import {mark, t} from '../lib/i18n.js';

// The words of data/taper.json that this page needs before a plan exists (a plan carries its own
// in `pace_rule` and `notes`, in its language). Keep them in step with that file, and the Spanish
// in web/src/i18n/es.json with data/es/taper.json.
export const NOT_ADVICE = {
  text: mark('This is a plan you choose, not medical advice. No taper protocol for kratom has been published; the paces borrow their caution from guidance written for prescribed opioids. If you take several doses a day, have used prescription opioids or benzodiazepines, or went back to kratom after an earlier try at quitting, medical support is worth asking for.'),
  sources: ['S8', 'S32', 'S35', 'S36a', 'A1', 'A8'],
};
// The not-medical-advice notice, on every screen that shows a plan (issue 13, item 5).
// A plan keeps the notice in English (formats/plan_json.cpp writes it so): when its text is this
// one, the translation of this one is shown.
export function notAdvice(note = NOT_ADVICE) {
  return h('p', {class: 'note not-advice', role: 'note'}, t(note.text), ' ', sources(note.sources));
}

