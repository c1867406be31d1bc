// Learn: what is known, each fact with its sources; the FAQ; the charts; the reference list.

import {get} from '../lib/api.js';
import {barChart} from '../lib/charts.js';
import {fill, h, sources, words} from '../lib/dom.js';
import {formatNumber, mark, t} from '../lib/i18n.js';

// The topics' headings (GET /evidence gives each fact's topic id, not the topic's title).
const kTopics = {
  dependence: mark('Dependence'), frequency: mark('Frequency'), withdrawal: mark('Withdrawal'),
  safety: mark('Safety'), treatment: mark('Treatment'), harm_reduction: mark('Harm reduction'),
  policy: mark('Policy'),
};

export async function render(main, rest = []) {
  const [evidence, references] = await Promise.all([
    get('/evidence'),
    get('/sources').then((r) => r.references ?? []).catch(() => []),
  ]);
  const topics = new Map();
  for (const fact of evidence.facts) {
    if (!topics.has(fact.topic)) topics.set(fact.topic, []);
    topics.get(fact.topic).push(fact);
  }
  fill(main,
    h('h1', {}, t('Learn')),
    h('p', {}, t('What research and public-health sources say, in plain words. Each point names its sources; tap a key to see the reference.')),
    h('nav', {'aria-label': t('On this page'), class: 'toc'}, h('ul', {},
      h('li', {}, h('a', {href: '#/learn/facts'}, t('Facts'))),
      h('li', {}, h('a', {href: '#/learn/faq'}, t('Questions people ask'))),
      h('li', {}, h('a', {href: '#/learn/charts'}, t('Charts'))),
      h('li', {}, h('a', {href: '#/learn/sources'}, t('Sources'))))),
    h('section', {id: 'facts', 'aria-labelledby': 'facts-h'},
      h('h2', {id: 'facts-h'}, t('Facts')),
      [...topics].map(([topic, facts]) => h('section', {class: 'card'},
        h('h3', {}, kTopics[topic] ? t(kTopics[topic]) : capitalise(words(topic))),
        h('ul', {}, facts.map((f) => h('li', {}, f.text, ' ', sources(f.sources))))))),
    h('section', {id: 'faq', 'aria-labelledby': 'faq-h'},
      h('h2', {id: 'faq-h'}, t('Questions people ask')),
      evidence.faq.map((q) => h('details', {class: 'faq'},
        h('summary', {}, q.question), h('p', {}, q.answer), sources(q.sources)))),
    h('section', {id: 'charts', 'aria-labelledby': 'charts-h'},
      h('h2', {id: 'charts-h'}, t('Charts')),
      evidence.charts.map((c) => h('div', {class: 'card'},
        barChart({
          id: `chart-${c.id}`, title: c.title, unit: c.unit,
          points: c.points.map((p, i) => ({...p, highlight: c.id === 'deaths_other_substances' && i === 0})),
          horizontal: c.points.length > 3,
          summary: `${c.title}: ${c.points.map((p) => `${p.label} ${formatNumber(p.value)}`).join(', ')} (${c.unit}).`,
        }),
        c.note ? h('p', {class: 'muted'}, c.note) : null,
        sources(c.sources)))),
    h('section', {id: 'sources', 'aria-labelledby': 'sources-h'},
      h('h2', {id: 'sources-h'}, t('Sources')),
      references.length
        ? h('ol', {class: 'references'}, references.map((r) => h('li', {id: `ref-${r.key}`},
          h('strong', {}, r.key), ' ', r.title, r.outlet ? `. ${r.outlet}.` : '',
          r.url ? [' ', h('span', {class: 'url'}, r.url)] : null)))
        : h('p', {}, t('The reference list could not be loaded.'))));
  // #/learn/faq, #/learn/sources/A1: scroll to the part asked for.
  const target = rest[0] === 'sources' && rest[1] ? document.getElementById(`ref-${rest[1]}`)
    : rest[0] ? document.getElementById(rest[0]) : null;
  if (target) {
    target.classList.add('target');
    target.scrollIntoView({block: 'start'});
  }
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
