/* kbsearch web front end: search page and document view in one small app.
 * ES modules, no dependencies, no build step; works under a strict CSP
 * (no inline code). This module ties them together: routing, searching as
 * you type, the keyboard and the page's events.
 *   dom.js    – the page's elements, shared state, helpers
 *   i18n.js   – English and Russian strings, plurals (Intl.PluralRules)
 *   api.js    – calls to the HTTP API
 *   router.js – URLs and history entries
 *   render.js – the search view (results, corrections, answer card, facets)
 *   doc.js    – the document view (highlighting, copy-link buttons) */
import { els, state, normLang, hideError, showError, arr } from './dom.js';
import { t, initUiLang, toggleUiLang } from './i18n.js';
import * as api from './api.js';
import { readLocation, searchUrl, keyOf, updateHistory, appLinkTarget, parseProducts, safeDecode } from './router.js';
import {
  PHONE, renderSearch, clearResults, appendHits, updateMore, updateFilterButtons, renderFacets,
  facetsOf, hitEls, setActive, activeHref,
} from './render.js';
import {
  renderDoc, renderDocLoading, renderDocMeta, updateBackLink, relabelCopyButtons, copyLink,
  scrollToHash, highlightWords,
} from './doc.js';

const LIMIT = 10;
const DEBOUNCE_MS = 150;

/** The search page URL for query `q` with the current filters and options. */
const currentSearchUrl = (q) => searchUrl(q, state.lang, state.opts, state.products);
const searchRequest = (q, offset, limit) =>
  ({ q, offset, limit, lang: state.lang, products: state.products, opts: state.opts });

// ---------------------------------------------------------------- routing
function navigate(url) {
  clearTimeout(state.timer);
  if (state.view === 'search') {
    state.searchScroll = window.scrollY;
    history.replaceState(null, '', currentSearchUrl(els.q.value.trim()));
  }
  history.pushState(null, '', url);
  route();
}

/** Shows what the address bar asks for. */
function route() {
  const loc = readLocation();
  if (loc.docPath !== null) {
    openDoc(loc.docPath, loc.q);
    return;
  }
  state.lang = loc.lang;
  state.opts = loc.opts;
  state.products = loc.products;
  updateFilterButtons();
  const q = loc.q;
  if (els.q.value.trim() !== q) els.q.value = q;
  if (q && state.renderedKey === keyOf(q, state.lang, state.opts, state.products)) {
    // Coming back to results that are still rendered: no refetch.
    state.q = q;
    showView('search');
    document.title = `${q} — kbsearch`;
    window.scrollTo(0, state.searchScroll);
    return;
  }
  runSearch('none');
}

function showView(view) {
  if (state.view !== view) hideError();
  state.view = view;
  els.searchView.hidden = view !== 'search';
  els.status.hidden = view !== 'search';
  els.doc.hidden = view !== 'doc';
  if (view !== 'doc') state.docSeq++; // drop any doc response still in flight
}

// ---------------------------------------------------------------- search
/** The user typed (or picked) a new query: a "search the original"
 *  choice made for the previous one no longer applies. */
function newQuery() {
  delete state.opts.layout;
  delete state.opts.translit;
}
function scheduleSearch() {
  newQuery();
  clearTimeout(state.timer);
  state.timer = setTimeout(() => runSearch('replace'), DEBOUNCE_MS);
}

async function runSearch(historyMode) {
  clearTimeout(state.timer);
  state.q = els.q.value.trim();
  const wasDoc = state.view === 'doc';
  updateHistory(currentSearchUrl(state.q), historyMode);
  showView('search');
  if (wasDoc) window.scrollTo(0, 0);
  document.title = state.q ? `${state.q} — kbsearch` : 'kbsearch';
  // A counter plus AbortController: only the newest request may render.
  const seq = ++state.seq;
  if (state.controller) state.controller.abort();
  state.controller = null;
  if (!state.q) { clearResults(); return; }
  const ctrl = new AbortController();
  state.controller = ctrl;
  els.results.setAttribute('aria-busy', 'true');
  try {
    const data = await api.search(searchRequest(state.q, 0, LIMIT), ctrl.signal);
    if (seq !== state.seq) return;
    state.data = data;
    state.dataQ = state.q;
    state.hits = arr(data.hits).slice();
    state.exhausted = false;
    state.renderedKey = keyOf(state.q, state.lang, state.opts, state.products);
    renderSearch(data);
  } catch (e) {
    if (seq === state.seq && !(e && e.name === 'AbortError')) showError(e.message);
  } finally {
    if (seq === state.seq) els.results.removeAttribute('aria-busy');
  }
}

async function loadMore() {
  const seq = state.seq;
  els.more.disabled = true;
  try {
    const data = await api.search(searchRequest(state.q, state.hits.length, LIMIT));
    if (seq !== state.seq) return;
    const hits = arr(data.hits);
    if (!hits.length) state.exhausted = true;
    const start = state.hits.length;
    state.hits.push(...hits);
    appendHits(hits, start);
    updateMore();
  } catch (e) {
    if (seq === state.seq) showError(e.message);
  } finally {
    els.more.disabled = false;
  }
}

function setLangFilter(lang) {
  state.lang = normLang(lang);
  updateFilterButtons();
  runSearch('push');
}
function toggleProduct(product) {
  const on = state.products.includes(product);
  state.focusFacet = product;
  state.products = parseProducts((on ? state.products.filter((p) => p !== product) : [...state.products, product]).join(','));
  runSearch('push');
}
function clearProducts() {
  state.products = [];
  runSearch('push');
}
function searchFor(text) {
  newQuery();
  els.q.value = text;
  runSearch('push');
  els.q.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- document view
async function openDoc(rawPath, q) {
  showView('doc');
  if (q) els.q.value = q;
  state.q = q || state.q;
  updateBackLink();
  const key = keyOf(rawPath, q);
  if (state.docKey === key && state.doc) { scrollToHash(); return; }

  const seq = ++state.docSeq;
  state.docKey = null; state.doc = null;
  renderDocLoading();
  // Re-encode each segment; refuse dot segments (fetch would normalize them away).
  const segs = rawPath.split('/').map(safeDecode);
  try {
    if (!segs.length || segs.some((s) => !s || s === '.' || s === '..')) throw new Error(t('docError'));
    // The words to highlight come from the server's results for `q`: the ones
    // on screen, else (a shared link) a search of its own.
    const held = state.data && state.dataQ === q ? state.hits : null;
    const [doc, hits] = await Promise.all([
      api.documentAt(segs),
      held || !q ? held : api.search({ q, limit: LIMIT }).then((d) => arr(d.hits), () => []),
    ]);
    if (seq !== state.docSeq) return;
    state.doc = doc; state.docKey = key;
    renderDoc(doc, q, q ? highlightWords(q, hits) : []);
    scrollToHash();
  } catch (e) {
    if (seq !== state.docSeq) return;
    els.docTitle.textContent = t('docError');
    document.title = 'kbsearch';
    showError(e.message);
  }
}

// ---------------------------------------------------------------- keyboard
function isTyping(target) {
  return !!(target && (target.isContentEditable || target.closest?.('input, textarea, select')));
}
function onKeydown(e) {
  if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
    e.preventDefault();
    els.q.focus();
    els.q.select();
    return;
  }
  if (e.key === 'Escape' && (e.target === els.q || state.view === 'search')) {
    els.q.value = '';
    if (state.view === 'doc') return;
    newQuery();
    runSearch('replace');
    return;
  }
  if (state.view !== 'search') return;
  const inScope = e.target === els.q || e.target === document.body || els.results.contains(e.target);
  if (!inScope) return;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!hitEls().length) return;
    e.preventDefault();
    const next = state.active + (e.key === 'ArrowDown' ? 1 : -1);
    setActive(Math.min(Math.max(next, -1), hitEls().length - 1));
  } else if (e.key === 'Enter' && state.active >= 0 && (e.target === els.q || e.target === document.body)) {
    e.preventDefault(); // also stops the form submit
    const href = activeHref();
    if (href) navigate(href);
  }
}

// ---------------------------------------------------------------- UI language, stats footer
function switchUiLang() {
  toggleUiLang();
  renderStats();
  if (state.data) renderSearch(state.data);
  if (state.doc) { renderDocMeta(state.doc); updateBackLink(); relabelCopyButtons(); }
}
async function loadStats() {
  try { state.stats = await api.stats(); renderStats(); } catch (_) { /* the footer is optional */ }
}
function renderStats() {
  const s = state.stats;
  if (!s) return;
  els.stats.textContent = t('stats', Number(s.documents) || 0, Number(s.sections) || 0, Number(s.codes) || 0);
}

// ---------------------------------------------------------------- events
function onSearchViewClick(e) {
  const search = e.target.closest('button[data-search]');
  if (search) { searchFor(search.dataset.search); return; }
  const action = e.target.closest('button[data-action]');
  if (action && action.dataset.action === 'all-languages') setLangFilter('');
  else if (action && action.dataset.action === 'all-products') clearProducts();
}
function onFacetsClick(e) {
  const facet = e.target.closest('button.facet');
  if (facet) { toggleProduct(facet.dataset.product); return; }
  if (e.target.closest('button.facet-more')) {
    state.facetsOpen = !state.facetsOpen;
    if (state.data) renderFacets(facetsOf(state.data));
    const more = els.facets.querySelector('.facet-more');
    if (more) more.focus();
  }
}

function init() {
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual'; // we scroll ourselves
  initUiLang();
  updateFilterButtons();
  els.q.addEventListener('input', scheduleSearch);
  els.form.addEventListener('submit', (e) => { e.preventDefault(); runSearch('push'); });
  for (const b of els.filters) b.addEventListener('click', () => setLangFilter(b.dataset.lang));
  els.uiLang.addEventListener('click', switchUiLang);
  els.more.addEventListener('click', loadMore);
  els.searchView.addEventListener('click', onSearchViewClick);
  els.facets.addEventListener('click', onFacetsClick);
  els.docBody.addEventListener('click', (e) => {
    const btn = e.target.closest('button.copy-link');
    if (btn) copyLink(btn);
  });
  PHONE.addEventListener('change', () => { if (state.data) renderFacets(facetsOf(state.data)); });
  document.addEventListener('click', (e) => {
    const url = appLinkTarget(e);
    if (url) { e.preventDefault(); navigate(url); }
  });
  document.addEventListener('keydown', onKeydown);
  window.addEventListener('popstate', route);
  route();
  els.q.focus({ preventScroll: true });
  loadStats();
}
init();
