// The web app's own words in the person's language (docs/languages.md, "Web app"). The texts are
// English in the code, wrapped in t(); web/src/i18n/<code>.json maps each to its translation.
// English loads no catalog. The language is the person's saved setting (Settings page), else
// the browser's languages, the same rule by which the server picks the language of the API's
// clinical texts (Accept-Language); tests/i18n/catalog_test.sh checks every t() text has its
// Spanish.

const kSupported = ['en', 'es'];
let language = 'en';
let messages = null;

// The first supported language in the browser's list ("es-MX" → "es"), else English.
export function browserLanguage() {
  for (const tag of navigator.languages ?? [navigator.language ?? 'en']) {
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    if (kSupported.includes(primary)) return primary;
  }
  return 'en';
}

// The saved choice (kept on this device once the server reported it), else the browser's.
export function wantedLanguage() {
  const saved = localStorage.getItem('mitra.language');
  return kSupported.includes(saved) ? saved : browserLanguage();
}

// Remembers the server's saved setting ("en", "es" or null: follow the browser).
export function rememberSetting(setting) {
  if (kSupported.includes(setting)) {
    localStorage.setItem('mitra.language', setting);
  } else {
    localStorage.removeItem('mitra.language');
  }
}

export function currentLanguage() {
  return language;
}

// Loads the catalog of `wanted` (nothing for English), sets <html lang> and translates the page's
// shell (the elements of index.html marked data-i18n).
export async function useLanguage(wanted) {
  const next = kSupported.includes(wanted) ? wanted : 'en';
  let loaded = null;
  if (next !== 'en') {
    try {
      const response = await fetch(`/i18n/${next}.json`, {credentials: 'same-origin'});
      if (response.ok) loaded = await response.json();
    } catch {
      loaded = null;  // Offline without the catalog cached: English rather than nothing.
    }
  }
  language = loaded || next === 'en' ? next : 'en';
  messages = loaded;
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.dataset.i18n ||= element.textContent;
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll('[data-i18n-label]')) {
    element.dataset.i18nLabel ||= element.getAttribute('aria-label');
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  }
}

// Marks a text for the catalog where it is stored and translated later with t() (page titles).
export function mark(text) {
  return text;
}

// `text` in the current language, with each {name} replaced by values[name]. A plural is two
// texts, each in its own t(), chosen where the count is known: the one for 1, the other for any
// other count (English and Spanish share that rule).
export function t(text, values = {}) {
  const translated = messages?.[text] ?? text;
  return translated.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A translated text whose placeholders stand for elements (a link, a <code>): the pieces in
// order, for h() or append(): "Open it {here}." with {here: link} → ['Open it ', link, '.'], so
// that a translation may move the link.
export function withParts(text, values) {
  return text.split(/(\{\w+\})/).filter((piece) => piece !== '').map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    return name !== undefined && name in values ? values[name] : piece;
  });
}

// A number as the current language writes it: "2.5" / "2,5", "1,234.5" / "1234,5",
// "12,345.75" / "12 345,75" (in Spanish a no-break space groups from five integer digits, as
// core::format_number does in the CLI). `options` are Intl.NumberFormat's.
export function formatNumber(value, options = {}) {
  const parts = new Intl.NumberFormat(language, options).formatToParts(Number(value));
  return parts.map((part) => (part.type === 'group' && language === 'es' ? '\u00a0' : part.value)).join('');
}
