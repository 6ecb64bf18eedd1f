/* The interface's strings in English and Russian. Counted nouns go through
 * Intl.PluralRules (English: one/other; Russian: one/few/many/other). */
import { els } from './dom.js';

const rules = new Map();
/** The form of a noun for `n` in `locale`: `forms` maps plural categories
 *  (one, few, many, other) to words; a missing category falls back to `other`. */
export function plural(locale, n, forms) {
  let r = rules.get(locale);
  if (!r) { r = new Intl.PluralRules(locale); rules.set(locale, r); }
  const form = forms[r.select(n)];
  return form === undefined ? forms.other : form;
}
/** "1 result", "2 results". */
const en = (n, one, other) => `${n} ${plural('en', n, { one, other })}`;
/** «1 раздел», «2 раздела», «5 разделов» (fractions take the `few` form: «1,5 раздела»). */
const ru = (n, one, few, many) => `${n} ${plural('ru', n, { one, few, many, other: few })}`;

const STRINGS = {
  en: {
    skip: 'Skip to content',
    searchLabel: 'Search the troubleshooting knowledge base',
    placeholder: 'Error code, message or keywords — press / to focus',
    filterLabel: 'Language:',
    filterAll: 'All',
    productLabel: 'Product:',
    facetLabel: (p, n) => `${p}: ${en(n, 'match', 'matches')}`,
    facetMore: (n) => `+${n} more`,
    facetLess: 'Fewer',
    allProducts: 'Search in all products',
    productBadge: 'Product',
    otherLanguage: (l) => (l === 'ru' ? 'Русская версия' : 'English version'),
    resultsLabel: 'Search results',
    switchTo: 'Русский',
    switchLabel: 'Переключить интерфейс на русский язык',
    found: (n, ms) => `${en(n, 'result', 'results')} · ${ms} ms`,
    detected: (l) => `query language: ${l}`,
    more: 'Show more results',
    noResultsTitle: (q) => `Nothing found for “${q}”`,
    noResultsHint: 'What to try:',
    tips: [
      'Use fewer words or a shorter phrase.',
      'Check the spelling and the keyboard layout (QWERTY / ЙЦУКЕН).',
      'Search for the error code alone, e.g. 0x80070005 or 809.',
      'Switch the language filter to “All” or to the other language.',
    ],
    didYouMean: 'Did you mean',
    showingFor: 'Showing results for',
    searchInstead: (q) => `Search for «${q}» instead`,
    alsoSearched: 'Also searched as',
    searchAsTyped: 'Search only as typed',
    unknownCode: (c) => `Unknown error code ${c}`,
    unknownCodeHint: 'No article mentions this code. Check the digits or try one of the closest known codes:',
    unknownCodeNone: 'No article mentions this code. Check the digits.',
    suggestions: 'Perhaps you were looking for:',
    allLanguages: 'Search in all languages',
    answerKicker: 'Error code',
    aliases: 'Also written as:',
    causes: 'Possible causes',
    actions: 'Recommended actions',
    openSection: 'Open the full section →',
    alsoIn: 'Also documented in:',
    backToResults: '← Back to results',
    backToSearch: '← Back to search',
    loading: 'Loading…',
    docError: 'The document could not be loaded',
    updated: 'Updated',
    langName: (l) => (l === 'ru' ? 'Russian' : 'English'),
    copyLink: 'Copy link',
    copyLinkLabel: (h) => `Copy link to section “${h}”`,
    copied: 'Copied',
    copyFailed: 'Copy failed',
    copyAnswer: 'Copy answer',
    copyAnswerLabel: 'Copy the message, causes and actions as plain text',
    message: 'Message',
    chipLabel: (c) => `Search for error code ${c}`,
    stats: (d, s, c) => `${en(d, 'document', 'documents')} · ${en(s, 'section', 'sections')} · ${en(c, 'code', 'codes')}`,
    networkError: 'Network error — is the kbsearch server running?',
    badResponse: 'Unexpected response from the server',
  },
  ru: {
    skip: 'Перейти к содержимому',
    searchLabel: 'Поиск по базе знаний',
    placeholder: 'Код ошибки, сообщение или ключевые слова — нажмите /',
    filterLabel: 'Язык:',
    filterAll: 'Все',
    productLabel: 'Продукт:',
    facetLabel: (p, n) => `${p}: ${ru(n, 'совпадение', 'совпадения', 'совпадений')}`,
    facetMore: (n) => `ещё ${n}`,
    facetLess: 'Свернуть',
    allProducts: 'Искать во всех продуктах',
    productBadge: 'Продукт',
    otherLanguage: (l) => (l === 'ru' ? 'Русская версия' : 'English version'),
    resultsLabel: 'Результаты поиска',
    switchTo: 'English',
    switchLabel: 'Switch the interface to English',
    found: (n, ms) => `${ru(n, 'результат', 'результата', 'результатов')} · ${ms} мс`,
    detected: (l) => `язык запроса: ${l}`,
    more: 'Показать ещё',
    noResultsTitle: (q) => `По запросу «${q}» ничего не найдено`,
    noResultsHint: 'Что можно попробовать:',
    tips: [
      'Сократите запрос: используйте меньше слов.',
      'Проверьте орфографию и раскладку клавиатуры (ЙЦУКЕН / QWERTY).',
      'Введите только код ошибки, например 0x80070005 или 809.',
      'Переключите фильтр языка на «Все» или на другой язык.',
    ],
    didYouMean: 'Возможно, вы имели в виду',
    showingFor: 'Показаны результаты для',
    searchInstead: (q) => `Искать «${q}» без исправления`,
    alsoSearched: 'Также искали как',
    searchAsTyped: 'Искать только как написано',
    unknownCode: (c) => `Неизвестный код ошибки ${c}`,
    unknownCodeHint: 'Этот код не упоминается ни в одной статье. Проверьте цифры или выберите один из ближайших известных кодов:',
    unknownCodeNone: 'Этот код не упоминается ни в одной статье. Проверьте цифры.',
    suggestions: 'Возможно, вы искали:',
    allLanguages: 'Искать на всех языках',
    answerKicker: 'Код ошибки',
    aliases: 'Другие формы записи:',
    causes: 'Возможные причины',
    actions: 'Рекомендуемые действия',
    openSection: 'Открыть раздел полностью →',
    alsoIn: 'Также описано в:',
    backToResults: '← Назад к результатам',
    backToSearch: '← К поиску',
    loading: 'Загрузка…',
    docError: 'Не удалось загрузить документ',
    updated: 'Обновлено',
    langName: (l) => (l === 'ru' ? 'русский' : 'английский'),
    copyLink: 'Ссылка',
    copyLinkLabel: (h) => `Скопировать ссылку на раздел «${h}»`,
    copied: 'Скопировано',
    copyFailed: 'Не удалось скопировать',
    copyAnswer: 'Скопировать ответ',
    copyAnswerLabel: 'Скопировать сообщение, причины и действия простым текстом',
    message: 'Сообщение',
    chipLabel: (c) => `Искать код ошибки ${c}`,
    stats: (d, s, c) => `${ru(d, 'документ', 'документа', 'документов')} · ` +
      `${ru(s, 'раздел', 'раздела', 'разделов')} · ${ru(c, 'код', 'кода', 'кодов')}`,
    networkError: 'Ошибка сети — запущен ли сервер kbsearch?',
    badResponse: 'Неожиданный ответ сервера',
  },
};

const UI_KEY = 'kbsearch.ui-lang';
let ui = 'en';

/** The interface language: `en` or `ru`. */
export const uiLang = () => ui;

/** The string `key` in the interface language (English if missing there). */
export function t(key, ...args) {
  const v = key in STRINGS[ui] ? STRINGS[ui][key] : STRINGS.en[key];
  return typeof v === 'function' ? v(...args) : v;
}

/** The saved choice, else the browser's language. */
export function initUiLang() {
  let saved = null;
  try { saved = localStorage.getItem(UI_KEY); } catch (_) { /* storage disabled */ }
  ui = saved === 'ru' || saved === 'en' ? saved
    : String(navigator.language || '').toLowerCase().startsWith('ru') ? 'ru' : 'en';
  applyUiStrings();
}

/** Switches between English and Russian and remembers the choice. */
export function toggleUiLang() {
  ui = ui === 'ru' ? 'en' : 'ru';
  try { localStorage.setItem(UI_KEY, ui); } catch (_) { /* ignore */ }
  applyUiStrings();
}

/** The fixed texts of the page: `data-i18n`, `data-i18n-placeholder`, `data-i18n-label`. */
function applyUiStrings() {
  document.documentElement.lang = ui;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder);
  for (const n of document.querySelectorAll('[data-i18n-label]')) n.setAttribute('aria-label', t(n.dataset.i18nLabel));
  els.uiLang.textContent = t('switchTo');
  els.uiLang.lang = ui === 'ru' ? 'en' : 'ru';
  els.uiLang.setAttribute('aria-label', t('switchLabel'));
}
