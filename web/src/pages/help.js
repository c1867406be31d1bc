// Get help: who to call, for what, and when. Works without the server too: the last list the
// server gave is kept on this device, and the page itself carries the crisis numbers.

import {get} from '../lib/api.js';
import {fill, h, sources} from '../lib/dom.js';
import {t} from '../lib/i18n.js';

// Phone numbers as tel: links, web addresses as links; everything else as text.
function contact(text) {
  const url = /https?:\/\/\S+/.exec(text);
  if (url) return h('a', {href: url[0], rel: 'noreferrer noopener', target: '_blank'}, text);
  const phone = /(?:1-)?\d{3}-\d{3}-\d{4}|\b9(?:88|11)\b/.exec(text);
  if (phone) return h('a', {href: `tel:${phone[0].replaceAll('-', '')}`}, text);
  return text;
}

export async function render(main) {
  let help = null;
  try {
    help = await get('/help');
    localStorage.setItem('mitra.help', JSON.stringify(help));
  } catch {
    try {
      help = JSON.parse(localStorage.getItem('mitra.help') ?? 'null');
    } catch {
      help = null;
    }
  }
  const resources = help?.resources ?? [];
  fill(main,
    h('h1', {}, t('Get help')),
    h('p', {class: 'lead'}, t('You do not have to do this alone. Each service below says what it is for and when it is open.')),
    resources.length
      ? h('ul', {class: 'help-list'}, resources.map((r) => h('li', {class: 'card'},
        h('h2', {}, r.name),
        h('p', {class: 'contact'}, contact(r.contact)),
        h('p', {}, r.for_what),
        h('p', {class: 'muted'}, t('Open: {hours}', {hours: r.hours})),
        sources(r.sources))))
      : h('p', {}, t('In danger right now: call 911. Crisis: call or text 988. Poison Help: 1-800-222-1222. Treatment referrals: SAMHSA 1-800-662-4357.')),
    h('p', {class: 'muted'}, t('mitra does not contact anyone for you and sends nothing anywhere.')));
}
