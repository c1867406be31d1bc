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
  // Only what changes is written: in English nothing does, and the page is not laid out again.
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.dataset.i18n ||= element.textContent;
    const text = t(element.dataset.i18n);
    if (element.textContent !== text) element.textContent = text;
  }
  for (const element of document.querySelectorAll('[data-i18n-label]')) {
    element.dataset.i18nLabel ||= element.getAttribute('aria-label');
    const label = t(element.dataset.i18nLabel);
    if (element.getAttribute('aria-label') !== label) element.setAttribute('aria-label', label);
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

// An Intl formatter (Intl.NumberFormat, Intl.DateTimeFormat) for `locale` and `options`, made
// once and kept: making one costs far more than using it (on Home, the formatters made for each
// number and date were most of the page's script time). Throws as the constructor does (an
// unknown time zone: RangeError), and then keeps nothing.
const formatters = new Map();
export function formatter(Type, locale, options = {}) {
  const key = `${Type.name} ${locale} ${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Type(locale, options);
    formatters.set(key, made);
  }
  return made;
}

// A number as the current language writes it: "2.5" / "2,5", "1,234.5" / "1234,5",
// "12,345.75" / "12 345,75" (in Spanish a no-break space groups from five integer digits, as
// core::format_number does in the CLI). `options`: Intl.NumberFormat's minimumFractionDigits
// (default 0), maximumFractionDigits (default 3) and useGrouping (default true), with the same
// result as Intl.NumberFormat (rounding half away from zero, on the number's shortest decimal
// form). Written out rather than Intl's: the first Intl formatter of a page loads the locale
// data, which was most of Home's script time on a slow phone.
export function formatNumber(value, options = {}) {
  const {minimumFractionDigits: min = 0, maximumFractionDigits: max = Math.max(min, 3), useGrouping = true} = options;
  const number = Number(value);
  const shortest = Math.abs(number).toString();
  const known = Object.keys(options).every((key) => ['minimumFractionDigits', 'maximumFractionDigits', 'useGrouping'].includes(key));
  if (!Number.isFinite(number) || shortest.includes('e') || !known) {
    const parts = formatter(Intl.NumberFormat, language, options).formatToParts(number);
    return parts.map((part) => (part.type === 'group' && language === 'es' ? '\u00a0' : part.value)).join('');
  }
  let [whole, fraction = ''] = shortest.split('.');
  if (fraction.length > max) {
    const up = fraction[max] >= '5';
    let digits = whole + fraction.slice(0, max);
    if (up) {
      // Add one in the last kept place, carrying leftwards ("0.9996" to 3 places: "1.000").
      const carried = digits.split('');
      let i = carried.length - 1;
      while (i >= 0 && carried[i] === '9') carried[i--] = '0';
      if (i >= 0) carried[i] = String(Number(carried[i]) + 1);
      else carried.unshift('1');
      digits = carried.join('');
    }
    whole = digits.slice(0, digits.length - max);
    fraction = digits.slice(digits.length - max);
  }
  fraction = fraction.replace(/0+$/, '');
  fraction = fraction.padEnd(min, '0');
  const group = language === 'es' ? '\u00a0' : ',';
  if (useGrouping && whole.length >= (language === 'es' ? 5 : 4)) {
    whole = whole.replace(/\B(?=(\d{3})+$)/g, group);
  }
  const sign = number < 0 || Object.is(number, -0) ? '-' : '';
  return `${sign}${whole}${fraction ? (language === 'es' ? ',' : '.') + fraction : ''}`;
}

// Short day and month names ("Sat", "Nov" / "sáb", "nov"), as Intl.DateTimeFormat gives them
// (weekday/month: 'short'), without loading Intl's locale data (see formatNumber).
const kDayNames = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  es: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
};
const kMonthNames = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
};
export function dayName(weekday) {
  return kDayNames[language][weekday];
}
export function monthName(month) {
  return kMonthNames[language][month];
}
