// Clinic mode (`mitra serve --clinic`, docs/clinic.md): signing in and up, the account and
// sharing page (shares, who read the journal, download, delete), the specialist's people with
// their flags and the contact queue, and "Talk to a specialist". Loaded only in clinic mode.

import {del, get, post} from '../lib/api.js';
import {amount, fill, h, field, localDate, localTime, onSubmit, toast} from '../lib/dom.js';
import {t, withParts} from '../lib/i18n.js';

const kScopes = [
  ['pattern', () => t('Pattern: how often and how much')],
  ['journal', () => t('Journal: each dose and other substance')],
  ['checkins', () => t('Check-ins and their scores')],
  ['reflections', () => t('Self-reflection answers')],
  ['plan', () => t('Your plan and how it is going')],
  ['safety', () => t('Safety advice that applies to you')],
];

// Who is signed in, as this browser last heard it (null: nobody, or local mode).
export function signedInAccount() {
  try {
    return JSON.parse(localStorage.getItem('mitra.clinic') ?? 'null');
  } catch {
    return null;
  }
}

function remember(account) {
  if (account) {
    localStorage.setItem('mitra.clinic', JSON.stringify({username: account.username, role: account.role}));
  } else {
    localStorage.removeItem('mitra.clinic');
  }
}

// Whether the server is in clinic mode: GET /api/v1/auth exists there only. Asked without the
// api helper, whose 401 would say "signed out" again.
export async function isClinic() {
  try {
    const response = await fetch('/api/v1/auth', {credentials: 'same-origin', cache: 'no-store'});
    return response.ok && (await response.json()).mode === 'clinic';
  } catch {
    return false;
  }
}

// The sign-in form, and the sign-up form for someone with an invitation. `done` runs once
// signed in.
export function renderSignIn(main, done) {
  remember(null);
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const signIn = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'signin-h'},
    h('h2', {id: 'signin-h'}, t('Sign in')),
    field(t('Username'), h('input', {name: 'username', autocomplete: 'username', required: true,
      autocapitalize: 'none', spellcheck: 'false'})),
    field(t('Password'), h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true})),
    h('button', {type: 'submit', class: 'primary'}, t('Sign in')),
    message);
  onSubmit(signIn, message, async (data) => {
    const account = await post('/auth/login', {username: String(data.get('username')).trim(),
      password: String(data.get('password'))});
    remember(account);
    done();
  });
  const upMessage = h('div', {class: 'message', 'aria-live': 'polite'});
  const signUp = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'signup-h'},
    h('h2', {id: 'signup-h'}, t('New here? Create your account')),
    h('p', {class: 'hint'}, t('You need the invitation code your program gave you.')),
    field(t('Invitation code'), h('input', {name: 'invite', autocomplete: 'one-time-code', required: true,
      autocapitalize: 'none', spellcheck: 'false'})),
    field(t('Username'), h('input', {name: 'username', autocomplete: 'username', required: true,
      autocapitalize: 'none', spellcheck: 'false'}), t('3 to 32 of a–z, 0–9, dot, dash, underscore')),
    field(t('Password'), h('input', {name: 'password', type: 'password', autocomplete: 'new-password', required: true}),
      t('At least 8 characters; a few words you remember are good. Common passwords are refused.')),
    h('button', {type: 'submit'}, t('Create account')),
    upMessage);
  onSubmit(signUp, upMessage, async (data) => {
    const username = String(data.get('username')).trim();
    const password = String(data.get('password'));
    await post('/auth/signup', {invite: String(data.get('invite')).trim(), username, password});
    remember(await post('/auth/login', {username, password}));
    done();
  });
  fill(main,
    h('h1', {}, t('Sign in to mitra')),
    h('p', {}, t('Your journal is private. You choose what a specialist may see, and you can stop sharing at any time.')),
    signIn, signUp,
    h('p', {}, t('Help is still here: '), h('a', {href: '#/help'}, t('Get help')), '.'));
}

// The clinic pages, by name (app.js routes #/account, #/people, #/people/ID, #/contact here).
// What a browser that is not signed in sees: clinic mode's sign-in (then its tabs, and
// `signedIn()`), or in local mode how to open mitra from the address `mitra serve` printed.
export async function renderSignedOut(main, signedIn) {
  if (await isClinic()) {
    clinicTabs(null);
    renderSignIn(main, () => {
      clinicTabs(signedInAccount());
      signedIn();
    });
    return;
  }
  fill(main,
    h('h1', {}, t('Open mitra from its address')),
    h('p', {}, withParts(t('This page needs the private address that {command} printed when it started (it ends in {token}). Open that address once in this browser and mitra will remember you.'),
      {command: h('code', {}, 'mitra serve'), token: h('code', {}, '?token=…')})),
    h('p', {}, t('Help is still here: '), h('a', {href: '#/help'}, t('Get help')), '.'));
}

// Clinic mode's tabs for the account this browser signed in with (none when signed out): a
// person's sharing and "Talk to a specialist", a specialist's people.
export function clinicTabs(account) {
  const list = document.querySelector('nav.tabs ul');
  for (const item of list.querySelectorAll('li.clinic')) item.remove();
  if (!account) return;
  const tabs = account.role === 'specialist'
    ? [['people', t('People')], ['account', t('Account')]]
    : account.role === 'person'
      ? [['contact', t('Talk to a specialist')], ['account', t('Sharing')]]
      : [['account', t('Account')]];
  for (const [name, label] of tabs) {
    list.append(h('li', {class: 'clinic'}, h('a', {href: `#/${name}`, dataset: {route: name}}, label)));
  }
}

export function render(main, which, rest = []) {
  if (which === 'people' && rest[0]) return renderPerson(main, rest[0]);
  return {account: renderAccount, people: renderPeople, contact: renderContact}[which](main);
}

// #/account: who is signed in, sharing (people), what others read, download and delete.
export async function renderAccount(main) {
  const [me, shares, audit] = await Promise.all([get('/me'), get('/shares'), get('/audit')]);
  remember(me);
  const rerender = () => renderAccount(main);
  fill(main,
    h('h1', {}, t('Account and sharing')),
    h('section', {class: 'card', 'aria-labelledby': 'me-h'},
      h('h2', {id: 'me-h'}, t('Signed in')),
      h('p', {}, `${me.username} · ${roleName(me.role)}`),
      h('button', {type: 'button', onclick: signOut}, t('Sign out'))),
    me.role === 'person' ? shareForm(rerender) : null,
    sharesCard(shares.shares, me, rerender),
    auditCard(audit.entries),
    h('section', {class: 'card', 'aria-labelledby': 'mine-h'},
      h('h2', {id: 'mine-h'}, t('Your data')),
      h('p', {}, h('a', {href: '/api/v1/me/export', download: 'mitra-account.json'},
        t('Download everything kept about you')), ' ', t('(one JSON file: journal, shares, reads, requests)'))),
    deleteForm());
}

function roleName(role) {
  return {person: t('person'), specialist: t('specialist'), admin: t('admin')}[role] ?? role;
}

async function signOut() {
  try {
    await post('/auth/logout');
  } finally {
    remember(null);
    location.hash = '#/home';
    location.reload();
  }
}

function shareForm(rerender) {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'share-h'},
    h('h2', {id: 'share-h'}, t('Share with a specialist')),
    field(t('Specialist\'s username'), h('input', {name: 'specialist', required: true, autocapitalize: 'none', spellcheck: 'false'})),
    h('fieldset', {'data-field': 'scopes'},
      h('legend', {}, t('What they may see')),
      kScopes.map(([scope, label]) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'scopes', value: scope}), ' ', label()))),
    h('p', {class: 'hint'}, t('Every time they look, you will see it below. You can stop sharing at any time.')),
    h('button', {type: 'submit', class: 'primary'}, t('Share')),
    message);
  return onSubmit(form, message, async (data) => {
    await post('/shares', {specialist: String(data.get('specialist')).trim(), scopes: data.getAll('scopes').map(String)});
    toast(t('Shared.'));
    await rerender();
  });
}

function sharesCard(shares, me, rerender) {
  const live = shares.filter((s) => s.live);
  return h('section', {class: 'card', 'aria-labelledby': 'shares-h'},
    h('h2', {id: 'shares-h'}, me.role === 'person' ? t('You share with') : t('Shared with you')),
    live.length === 0 ? h('p', {}, t('Nothing is shared.')) : h('ul', {class: 'shares'}, live.map((share) =>
      h('li', {},
        h('strong', {}, me.role === 'person' ? share.specialist : share.person), ': ',
        share.scopes.join(', '), ' ',
        me.role === 'person'
          ? h('button', {type: 'button', onclick: async () => {
            await del(`/shares/${encodeURIComponent(share.id)}`);
            toast(t('Sharing stopped.'));
            await rerender();
          }}, t('Stop sharing with '), share.specialist)
          : null))));
}

function auditCard(entries) {
  return h('section', {class: 'card', 'aria-labelledby': 'audit-h'},
    h('h2', {id: 'audit-h'}, t('Who looked at your journal')),
    entries.length === 0 ? h('p', {}, t('No one else has looked.')) : h('ul', {class: 'audit'}, entries.slice(0, 50).map((entry) =>
      h('li', {}, h('time', {datetime: entry.at}, new Date(entry.at).toLocaleString()), ' · ',
        entry.reader, ' · ', entry.scopes.join(', ')))));
}

function deleteForm() {
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'delete-h'},
    h('h2', {id: 'delete-h'}, t('Delete your account')),
    h('p', {}, t('Your journal, your shares and the record of who looked are deleted at once. This cannot be undone; download your data first if you want to keep it.')),
    field(t('Your password, to confirm'), h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true})),
    h('button', {type: 'submit', class: 'danger'}, t('Delete my account')),
    message);
  return onSubmit(form, message, async (data) => {
    await del('/me', {password: String(data.get('password'))});
    remember(null);
    location.hash = '#/home';
    location.reload();
  });
}

// #/people: a specialist's people, each with flags from what they share, and the contact queue.
export async function renderPeople(main) {
  const [people, queue] = await Promise.all([get('/people'), get('/contact-requests')]);
  const rerender = () => renderPeople(main);
  const person = (entry) => h('li', {},
    h('a', {href: `#/people/${encodeURIComponent(entry.id)}`}, h('strong', {}, entry.username)), ' · ',
    entry.scopes.join(', '),
    entry.flags.length === 0
      ? h('p', {class: 'hint'}, t('No flags.'))
      : h('ul', {class: 'flags'}, entry.flags.map((flag) => h('li', {class: `flag ${flag.id}`}, flag.text))));
  const handle = async (request) => {
    await post(`/contact-requests/${encodeURIComponent(request.id)}/handled`);
    toast(t('Marked handled.'));
    await rerender();
  };
  const contact = (request) => h('li', {},
    h('strong', {}, request.person), ' · ', howName(request.how), request.when ? ` · ${request.when}` : '',
    request.note ? h('p', {}, request.note) : null,
    request.state === 'handled'
      ? h('p', {class: 'hint'}, t('Handled by '), request.handled_by)
      : h('button', {type: 'button', onclick: () => handle(request)}, t('Mark handled')));
  fill(main,
    h('h1', {}, t('People')),
    h('section', {class: 'card', 'aria-labelledby': 'people-h'},
      h('h2', {id: 'people-h'}, t('People who share with you')),
      people.people.length === 0
        ? h('p', {}, t('No one shares with you yet.'))
        : h('ul', {class: 'people'}, people.people.map(person))),
    h('section', {class: 'card', 'aria-labelledby': 'queue-h'},
      h('h2', {id: 'queue-h'}, t('Contact requests')),
      queue.requests.length === 0
        ? h('p', {}, t('No requests.'))
        : h('ul', {class: 'requests'}, queue.requests.map(contact))));
}

// #/people/ID: what one person shares with this specialist, read through the mirrored API
// (GET /api/v1/people/ID/…: a scope not shared answers 404, shown as not shared), with the
// printable clinician report of the same scopes.
export async function renderPerson(main, id) {
  const base = `/people/${encodeURIComponent(id)}`;
  const people = await get('/people');
  const entry = people.people.find((p) => p.id === id);
  if (!entry) {
    fill(main, h('h1', {}, t('People')), h('p', {}, t('This person does not share with you (any more).')),
      h('p', {}, h('a', {href: '#/people'}, t('Back to people'))));
    return;
  }
  // Only what is shared is asked for; a 404 then means there is none (no plan yet), or that the
  // share ended a moment ago.
  const read = (scope, path) => (entry.scopes.includes(scope)
    ? get(`${base}${path}`).catch((error) => (error.status === 404 ? {} : Promise.reject(error)))
    : Promise.resolve(null));
  const from = new Date(Date.now() - 14 * 86400e3).toISOString().slice(0, 10);
  const [doses, checkins, status] = await Promise.all([
    read('journal', `/doses?from=${from}T00:00`),
    read('checkins', '/checkins?limit=5'),
    read('plan', '/plans/current/status'),
  ]);
  const notShared = h('p', {class: 'hint'}, t('Not shared with you.'));
  const doseList = () => {
    const latest = [...(doses.doses ?? [])].sort((a, b) => b.taken_at.localeCompare(a.taken_at)).slice(0, 20);
    return latest.length === 0 ? h('p', {}, t('No doses in the last two weeks.'))
      : h('ul', {class: 'plain'}, latest.map((d) => h('li', {},
        `${localDate(d.taken_at_local)}, ${localTime(d.taken_at_local)} · `, h('strong', {}, amount(d.amount, d.unit)))));
  };
  const checkinList = () => {
    const groups = (checkins.history ?? []).filter((group) => group.entries.length > 0);
    return groups.length === 0 ? h('p', {}, t('No check-ins yet.'))
      : h('ul', {class: 'plain'}, groups.map((group) => {
        const last = group.entries[group.entries.length - 1];
        return h('li', {}, h('strong', {}, group.instrument.toUpperCase()), ' · ',
          t('latest {total} on {date}', {total: last.total, date: localDate(last.taken_at_local)}),
          last.band ? ` (${last.band})` : '');
      }));
  };
  fill(main,
    h('h1', {}, entry.username),
    h('p', {}, h('a', {href: '#/people'}, t('Back to people'))),
    h('section', {class: 'card', 'aria-labelledby': 'flags-h'},
      h('h2', {id: 'flags-h'}, t('Flags')),
      entry.flags.length === 0 ? h('p', {class: 'hint'}, t('No flags.'))
        : h('ul', {class: 'flags'}, entry.flags.map((flag) => h('li', {class: `flag ${flag.id}`}, flag.text))),
      h('p', {class: 'hint'}, t('Shared with you: {scopes}', {scopes: entry.scopes.join(', ')}))),
    h('section', {class: 'card', 'aria-labelledby': 'doses-h'},
      h('h2', {id: 'doses-h'}, t('Doses, last two weeks')), doses ? doseList() : notShared.cloneNode(true)),
    h('section', {class: 'card', 'aria-labelledby': 'checkins-h'},
      h('h2', {id: 'checkins-h'}, t('Check-ins')), checkins ? checkinList() : notShared.cloneNode(true)),
    h('section', {class: 'card', 'aria-labelledby': 'planstatus-h'},
      h('h2', {id: 'planstatus-h'}, t('Plan')),
      !status ? notShared.cloneNode(true)
        : status.text ? String(status.text).split('\n').filter(Boolean).map((line) => h('p', {}, line))
          : h('p', {}, t('No plan yet.'))),
    h('p', {class: 'actions'},
      h('a', {class: 'button', href: `/api/v1${base}/report`, target: '_blank', rel: 'noopener'},
        t('Printable report')),
      h('a', {class: 'button', href: `/api/v1${base}/fhir`, download: `mitra-${entry.username}.fhir.json`},
        t('FHIR export'))));
}

function howName(how) {
  return {phone: t('by phone'), message: t('by message'), in_person: t('in person')}[how] ?? how;
}

// #/contact: "Talk to a specialist": ask to be contacted, and see what became of it.
export async function renderContact(main) {
  const mine = await get('/contact-requests');
  const message = h('div', {class: 'message', 'aria-live': 'polite'});
  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'ask-h'},
    h('h2', {id: 'ask-h'}, t('Ask to be contacted')),
    h('fieldset', {'data-field': 'how'},
      h('legend', {}, t('How')),
      [['phone', t('by phone')], ['message', t('by message')], ['in_person', t('in person')]].map(([value, label], i) =>
        h('label', {class: 'check'}, h('input', {type: 'radio', name: 'how', value, checked: i === 0}), ' ', label))),
    field(t('When suits you'), h('input', {name: 'when', maxlength: 200}), t('For example: weekday mornings')),
    field(t('Anything they should know (optional)'), h('textarea', {name: 'note', maxlength: 2000, rows: 3})),
    h('button', {type: 'submit', class: 'primary'}, t('Send request')),
    message);
  onSubmit(form, message, async (data) => {
    await post('/contact-requests', {how: String(data.get('how')), when: String(data.get('when') ?? ''),
      note: String(data.get('note') ?? '')});
    toast(t('Request sent. A specialist will contact you.'));
    await renderContact(main);
  });
  fill(main,
    h('h1', {}, t('Talk to a specialist')),
    h('p', {class: 'notice', role: 'note'}, t('This is not for emergencies: for help right now, use the numbers at the bottom of every page.')),
    form,
    h('section', {class: 'card', 'aria-labelledby': 'asked-h'},
      h('h2', {id: 'asked-h'}, t('Your requests')),
      mine.requests.length === 0 ? h('p', {}, t('No requests yet.')) : h('ul', {class: 'requests'}, mine.requests.map((request) =>
        h('li', {}, h('time', {datetime: request.created_at}, new Date(request.created_at).toLocaleString()), ' · ',
          howName(request.how), ' · ', request.state === 'handled' ? t('handled') : t('waiting'))))));
}
