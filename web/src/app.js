// mitra's browser UI: a small single-page app over /api/v1, routed by the address's #fragment
// (#/home, #/journal, …) so that every page has its own address and the Back button works.

import {get} from './lib/api.js';
import {fill, h, leavePage} from './lib/dom.js';
import {browserLanguage, currentLanguage, mark, rememberSetting, t, useLanguage, wantedLanguage} from './lib/i18n.js';
import * as outbox from './lib/outbox.js';
// Each page's module is loaded when the page is first opened: Home needs only its own.
const pages = {
  home: {title: mark('Home'), load: () => import('./pages/home.js')},
  journal: {title: mark('Journal'), load: () => import('./pages/journal.js')},
  pattern: {title: mark('Your pattern'), load: () => import('./pages/pattern.js'), tab: 'journal'},
  checkin: {title: mark('Check-in'), load: () => import('./pages/assess.js'), args: ['checkin']},
  reflect: {title: mark('Self-reflection'), load: () => import('./pages/assess.js'), args: ['reflect']},
  plan: {title: mark('Plan'), load: () => import('./pages/plan.js')},
  learn: {title: mark('Learn'), load: () => import('./pages/learn.js')},
  help: {title: mark('Get help'), load: () => import('./pages/help.js')},
  settings: {title: mark('Settings'), load: () => import('./pages/settings.js')},
  // Clinic mode's (docs/clinic.md): shown in the tabs once signed in (clinic.js clinicTabs).
  account: {title: mark('Account and sharing'), load: () => import('./pages/clinic.js'), args: ['account']},
  people: {title: mark('People'), load: () => import('./pages/clinic.js'), args: ['people']},
  contact: {title: mark('Talk to a specialist'), load: () => import('./pages/clinic.js'), args: ['contact']},
};

let signedOut = false;

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return {name: pages[name] ? name : 'home', rest: rest.map(decodeURIComponent)};
}

async function show() {
  const {name, rest} = route();
  const page = pages[name];
  const main = document.getElementById('main');
  leavePage();
  for (const link of document.querySelectorAll('nav.tabs a')) {
    if (link.dataset.route === (page.tab ?? name)) {
      link.setAttribute('aria-current', 'page');
      revealTab(link);
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${t(page.title)} · mitra`;
  if (signedOut && name !== 'help') {
    renderSignedOut(main);
  } else {
    // While the page loads, main keeps the height it had (on the first visit, a screen's worth:
    // index.html's placeholder), so that the footer does not jump up and back (a layout shift).
    main.style.minHeight = `${main.offsetHeight}px`;
    fill(main, h('p', {class: 'loading'}, t('Loading…')));
    try {
      const module = await page.load();
      await module.render(main, ...(page.args ?? []), rest);
      main.style.minHeight = '';
    } catch (error) {
      main.style.minHeight = '';
      if (signedOut) return renderSignedOut(main);
      fill(main, h('h1', {}, t(page.title)),
        h('p', {class: 'error', role: 'alert'}, error.message),
        h('p', {}, h('button', {type: 'button', onclick: show}, t('Try again'))));
    }
  }
  // Move focus to the new page's heading so screen readers announce it.
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    if (document.activeElement?.closest?.('nav, header') || document.activeElement === document.body) {
      heading.focus({preventScroll: true});
    }
  }
}

// On a narrow screen the tabs scroll sideways: keep the current one in view.
function revealTab(link) {
  const nav = link.closest('nav');
  const tab = link.getBoundingClientRect();
  const box = nav.getBoundingClientRect();
  if (tab.left < box.left || tab.right > box.right) {
    nav.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2;
  }
}

// Not signed in: clinic mode's sign-in, or local mode's "open mitra from its address"
// (pages/clinic.js, loaded only then).
async function renderSignedOut(main) {
  const clinic = await import('./pages/clinic.js');
  await clinic.renderSignedOut(main, () => {
    signedOut = false;
    location.hash = '#/home';
    show();
  });
}

window.addEventListener('mitra:unauthorized', () => {
  if (!signedOut) {
    signedOut = true;
    show();
  }
});

function showSyncState(items = outbox.pending()) {
  const state = document.getElementById('sync-state');
  const waiting = items.filter((i) => !i.error).length;
  const refused = items.length - waiting;
  const parts = [];
  if (waiting) parts.push(waiting === 1 ? t('{count} dose waiting to sync', {count: waiting}) : t('{count} doses waiting to sync', {count: waiting}));
  if (refused) parts.push(refused === 1 ? t('{count} needs a look', {count: refused}) : t('{count} need a look', {count: refused}));
  state.textContent = parts.join(' · ');
}

async function sync() {
  if (outbox.pending().length === 0) return;
  const sent = await outbox.flush();
  if (sent > 0 && (route().name === 'home' || route().name === 'journal')) show();
}

outbox.onChange(showSyncState);
window.addEventListener('hashchange', show);
window.addEventListener('online', sync);
window.addEventListener('storage', () => showSyncState());
setInterval(sync, 30000);

// The service worker's install fetches every file: after Home has loaded (docs/web.md).
if ('serviceWorker' in navigator) {
  const register = () => navigator.serviceWorker.register('/sw.js').catch(() => {});
  const idle = () => (window.requestIdleCallback ? requestIdleCallback(register, {timeout: 3000}) : register());
  const later = () => setTimeout(idle, 2000);
  if (document.readyState === 'complete') later(); else addEventListener('load', later, {once: true});
}

// The language: the one saved on the Settings page (as this device last heard it), else the
// browser's. The help list says which language the server answers in; when it differs, the
// saved setting changed (on another device): follow it.
await useLanguage(wantedLanguage());

// Remember the help list for when the server cannot be reached.
get('/help').then(async (help_) => {
  localStorage.setItem('mitra.help', JSON.stringify(help_));
  if (help_.language && help_.language !== currentLanguage()) {
    rememberSetting(help_.language === browserLanguage() ? null : help_.language);
    await useLanguage(help_.language);
    showSyncState();
    show();
  }
}).catch(() => {});

showSyncState();
// Clinic mode's tabs for the account this browser last signed in with (none in local mode, where
// clinic.js is not loaded).
if (localStorage.getItem('mitra.clinic')) {
  import('./pages/clinic.js').then((clinic) => clinic.clinicTabs(clinic.signedInAccount()));
}
show().then(sync);
