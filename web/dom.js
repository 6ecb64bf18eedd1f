/* The page's fixed elements, the shared state and small helpers.
 * No HTML strings are built from API data: elements are created and filled
 * through textContent (only `snippet` and a document's `html`, which the
 * server sanitizes, go through innerHTML). */

const byId = (id) => document.getElementById(id);

/** The elements of index.html (module scripts run after the document is parsed). */
export const els = {
  q: byId('q'), form: byId('search-form'), status: byId('status'), error: byId('error'),
  searchView: byId('search-view'), noticeSlot: byId('notice-slot'), answerSlot: byId('answer-slot'),
  results: byId('results'), noSlot: byId('no-results-slot'), more: byId('more'),
  doc: byId('doc'), backLink: byId('back-link'), otherLang: byId('other-language'),
  docTitle: byId('doc-title'), docMeta: byId('doc-meta'), docDesc: byId('doc-desc'), docBody: byId('doc-body'),
  stats: byId('stats'), uiLang: byId('ui-lang'),
  filters: Array.from(document.querySelectorAll('.filters [data-lang]')),
  facets: byId('facets'), facetsLabel: byId('facets-label'),
};

/** What the page shows and what it is waiting for. */
export const state = {
  q: '', lang: '', view: 'search',
  products: [],                               // product filter (sorted, from `product=a,b`)
  focusFacet: null,                           // product button to refocus after re-rendering
  facetsOpen: false,                          // "+N more" products expanded
  opts: {},                                   // search options passed through to the API (OPTION_FLAGS)
  seq: 0, controller: null, timer: 0,         // search requests: only the newest (seq) renders
  data: null, dataQ: '', hits: [], active: -1, renderedKey: null, exhausted: false, searchScroll: 0,
  docSeq: 0, docKey: null, doc: null, stats: null,
};

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = String(text);
  return e;
}
export const str = (x) => (x == null ? '' : String(x));
export const arr = (x) => (Array.isArray(x) ? x : []);
export const normLang = (x) => (x === 'ru' || x === 'en' ? x : '');
export const isObject = (x) => !!x && typeof x === 'object';

/** "Title › Section › Subsection" without empty or repeated parts. */
export function joinCrumbs(parts) {
  const out = [];
  for (const p of parts.map(str).filter(Boolean)) if (out[out.length - 1] !== p) out.push(p);
  return out.join(' › ');
}

export function showError(msg) { els.error.textContent = msg; els.error.hidden = false; }
export function hideError() { els.error.textContent = ''; els.error.hidden = true; }

/** Copies `text` (several lines are fine) to the clipboard; true when it
 * worked. Outside a secure context, or when the Clipboard API refuses, a
 * temporary text area is selected and copied; `returnFocus` gets the focus
 * back. */
export async function copyToClipboard(text, returnFocus) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (_) { /* permission denied: fall back */ }
  const area = el('textarea', 'offscreen');
  area.value = text;
  area.readOnly = true;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
  area.remove();
  returnFocus.focus();
  return ok;
}
