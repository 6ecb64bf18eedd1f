/* kbsearch web front end: search page and document view in one small SPA.
 * Plain ES2020, no dependencies. Works under a strict CSP: no inline code,
 * no HTML strings built from API data (only `snippet` and doc `html`, which the
 * server sanitizes, go through innerHTML). */
'use strict';
(() => {
  // ---------------------------------------------------------------- strings
  const ruPlural = (n, one, few, many) => {
    const m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  };
  const enPlural = (n, one, many) => (n === 1 ? one : many);

  const STRINGS = {
    en: {
      skip: 'Skip to content',
      searchLabel: 'Search the troubleshooting knowledge base',
      placeholder: 'Error code, message or keywords — press / to focus',
      filterLabel: 'Language:',
      filterAll: 'All',
      productLabel: 'Product:',
      facetLabel: (p, n) => `${p}: ${n} ${enPlural(n, 'match', 'matches')}`,
      facetMore: (n) => `+${n} more`,
      facetLess: 'Fewer',
      allProducts: 'Search in all products',
      productBadge: 'Product',
      otherLanguage: (l) => (l === 'ru' ? 'Русская версия' : 'English version'),
      resultsLabel: 'Search results',
      switchTo: 'Русский',
      switchLabel: 'Переключить интерфейс на русский язык',
      found: (n, ms) => `${n} ${enPlural(n, 'result', 'results')} · ${ms} ms`,
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
      didYouMean: 'Did you mean:',
      showingFor: 'Showing results for',
      searchInstead: (q) => `Search for «${q}» instead`,
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
      chipLabel: (c) => `Search for error code ${c}`,
      stats: (d, s, c) => `${d} ${enPlural(d, 'document', 'documents')} · ` +
        `${s} ${enPlural(s, 'section', 'sections')} · ${c} ${enPlural(c, 'code', 'codes')}`,
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
      facetLabel: (p, n) => `${p}: ${n} ${ruPlural(n, 'совпадение', 'совпадения', 'совпадений')}`,
      facetMore: (n) => `ещё ${n}`,
      facetLess: 'Свернуть',
      allProducts: 'Искать во всех продуктах',
      productBadge: 'Продукт',
      otherLanguage: (l) => (l === 'ru' ? 'Русская версия' : 'English version'),
      resultsLabel: 'Результаты поиска',
      switchTo: 'English',
      switchLabel: 'Switch the interface to English',
      found: (n, ms) => `Найдено: ${n} · ${ms} мс`,
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
      didYouMean: 'Возможно, вы имели в виду:',
      showingFor: 'Показаны результаты для',
      searchInstead: (q) => `Искать «${q}» без исправления`,
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
      chipLabel: (c) => `Искать код ошибки ${c}`,
      stats: (d, s, c) => `${d} ${ruPlural(d, 'документ', 'документа', 'документов')} · ` +
        `${s} ${ruPlural(s, 'раздел', 'раздела', 'разделов')} · ${c} ${ruPlural(c, 'код', 'кода', 'кодов')}`,
      networkError: 'Ошибка сети — запущен ли сервер kbsearch?',
      badResponse: 'Неожиданный ответ сервера',
    },
  };

  // ---------------------------------------------------------------- setup
  const UI_KEY = 'kbsearch.ui-lang';
  /** Search options copied from the page URL to the API when present
   *  (`layout=false` is also set by "search for the original instead"). */
  const OPTION_FLAGS = ['fuzzy', 'layout', 'synonyms'];
  const LIMIT = 10;
  /** Product facets shown before "+N more" (selected ones are always shown): fewer on a phone. */
  const PHONE = window.matchMedia('(max-width: 480px)');
  const facetsShown = () => (PHONE.matches ? 4 : 8);
  const MAX_PRODUCTS = 20;
  const DEBOUNCE_MS = 150;
  const byId = (id) => document.getElementById(id);
  const els = {
    q: byId('q'), form: byId('search-form'), status: byId('status'), error: byId('error'),
    searchView: byId('search-view'), noticeSlot: byId('notice-slot'), answerSlot: byId('answer-slot'), results: byId('results'),
    noSlot: byId('no-results-slot'), more: byId('more'), doc: byId('doc'), backLink: byId('back-link'),
    docTitle: byId('doc-title'), docMeta: byId('doc-meta'), docDesc: byId('doc-desc'),
    docBody: byId('doc-body'), stats: byId('stats'), uiLang: byId('ui-lang'),
    filters: Array.from(document.querySelectorAll('.filters [data-lang]')),
    facets: byId('facets'), facetsLabel: byId('facets-label'), otherLang: byId('other-language'),
  };
  const state = {
    ui: 'en', q: '', lang: '', view: 'search',
    products: [],                               // product filter (sorted, from `product=a,b`)
    focusFacet: null,                           // product button to refocus after re-rendering
    facetsOpen: false,                          // "+N more" products expanded
    opts: {},                                   // debug flags passed through to the API (OPTION_FLAGS)
    seq: 0, controller: null, timer: 0,         // search requests
    data: null, hits: [], active: -1, renderedKey: null, exhausted: false, searchScroll: 0,
    docSeq: 0, docKey: null, doc: null, stats: null,
  };

  // ---------------------------------------------------------------- helpers
  function t(key, ...args) {
    const v = key in STRINGS[state.ui] ? STRINGS[state.ui][key] : STRINGS.en[key];
    return typeof v === 'function' ? v(...args) : v;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  const str = (x) => (x == null ? '' : String(x));
  const arr = (x) => (Array.isArray(x) ? x : []);
  const normLang = (x) => (x === 'ru' || x === 'en' ? x : '');
  const keyOf = (q, lang, opts, products) => [q, lang, arr(products).join(','),
    ...OPTION_FLAGS.map((f) => (opts && opts[f]) || '')].join('\u0000');
  /** `product=a,b` → sorted unique product names (the API's limits apply). */
  function parseProducts(raw) {
    const list = str(raw).split(',').map((x) => x.trim()).filter((x) => x && x.length <= 200);
    return Array.from(new Set(list)).sort().slice(0, MAX_PRODUCTS);
  }
  function safeDecode(s) {
    try { return decodeURIComponent(s); } catch (_) { return s; }
  }
  /** Only same-origin, root-relative URLs are allowed in links we build
   *  (rejects "//host", "/\host" and other parser tricks via the URL parser). */
  function safeUrl(u) {
    if (typeof u !== 'string' || !u.startsWith('/')) return null;
    try {
      return new URL(u, location.origin).origin === location.origin ? u : null;
    } catch (_) { return null; }
  }
  /** Insert `?q=` before the fragment: /doc/a.md#x -> /doc/a.md?q=…#x */
  function withQuery(url, q) {
    if (!q) return url;
    const i = url.indexOf('#');
    const base = i < 0 ? url : url.slice(0, i);
    const hash = i < 0 ? '' : url.slice(i);
    return `${base}${base.includes('?') ? '&' : '?'}q=${encodeURIComponent(q)}${hash}`;
  }
  /** `true`/`false` for the values the API accepts, else '' (not sent). */
  function normFlag(v) {
    const x = str(v).trim().toLowerCase();
    if (x === 'true' || x === '1') return 'true';
    if (x === 'false' || x === '0') return 'false';
    return '';
  }
  function optsFrom(params) {
    const opts = {};
    for (const f of OPTION_FLAGS) { const v = normFlag(params.get(f)); if (v) opts[f] = v; }
    return opts;
  }
  function addOpts(p, opts) {
    for (const f of OPTION_FLAGS) if (opts && opts[f]) p.set(f, opts[f]);
    return p;
  }
  function searchUrl(q, lang, opts = state.opts, products = state.products) {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (lang) p.set('lang', lang);
    if (products.length) p.set('product', products.join(','));
    addOpts(p, opts);
    // Keep the product list readable in the address bar: `product=a,b`.
    const s = p.toString().replace(/%2C/gi, ',');
    return s ? `/?${s}` : '/';
  }
  function joinCrumbs(parts) {
    const out = [];
    for (const p of parts.map(str).filter(Boolean)) if (out[out.length - 1] !== p) out.push(p);
    return out.join(' › ');
  }

  async function fetchJSON(url, signal) {
    let res;
    try {
      res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new Error(t('networkError'));
    }
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const msg = body && body.error && body.error.message;
      throw new Error(typeof msg === 'string' && msg ? msg : `HTTP ${res.status}`);
    }
    if (!body || typeof body !== 'object') throw new Error(t('badResponse'));
    return body;
  }
  function showError(msg) { els.error.textContent = msg; els.error.hidden = false; }
  function hideError() { els.error.textContent = ''; els.error.hidden = true; }

  // ---------------------------------------------------------------- UI language
  function pickUiLang() {
    try {
      const saved = localStorage.getItem(UI_KEY);
      if (saved === 'ru' || saved === 'en') return saved;
    } catch (_) { /* storage disabled */ }
    return str(navigator.language).toLowerCase().startsWith('ru') ? 'ru' : 'en';
  }
  function applyUiStrings() {
    document.documentElement.lang = state.ui;
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder);
    for (const n of document.querySelectorAll('[data-i18n-label]')) n.setAttribute('aria-label', t(n.dataset.i18nLabel));
    els.uiLang.textContent = t('switchTo');
    els.uiLang.lang = state.ui === 'ru' ? 'en' : 'ru';
    els.uiLang.setAttribute('aria-label', t('switchLabel'));
  }
  function switchUiLang() {
    state.ui = state.ui === 'ru' ? 'en' : 'ru';
    try { localStorage.setItem(UI_KEY, state.ui); } catch (_) { /* ignore */ }
    applyUiStrings();
    renderStats();
    if (state.data) renderSearch(state.data);
    if (state.doc) { renderDocMeta(state.doc); updateBackLink(); relabelCopyButtons(); }
  }

  // ---------------------------------------------------------------- history / routing
  /** Put the search state into the URL. While the user types we replace the
   *  entry; committing (Enter, filter, chip) pushes. Leaving a /doc/ page
   *  always pushes so the document stays reachable with Back. */
  function updateHistory(mode) {
    if (mode === 'none') return;
    const url = searchUrl(state.q, state.lang);
    if (location.pathname !== '/') mode = 'push';
    if (url === location.pathname + location.search + location.hash) return;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  function navigate(url) {
    clearTimeout(state.timer);
    if (state.view === 'search') {
      state.searchScroll = window.scrollY;
      history.replaceState(null, '', searchUrl(els.q.value.trim(), state.lang));
    }
    history.pushState(null, '', url);
    route();
  }
  function route() {
    const params = new URLSearchParams(location.search);
    const q = (params.get('q') || '').trim();
    if (location.pathname.startsWith('/doc/')) {
      openDoc(location.pathname.slice('/doc/'.length), q);
      return;
    }
    state.lang = normLang(params.get('lang'));
    state.opts = optsFrom(params);
    state.products = parseProducts(params.get('product'));
    updateFilterButtons();
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
  }
  function scheduleSearch() {
    newQuery();
    clearTimeout(state.timer);
    state.timer = setTimeout(() => runSearch('replace'), DEBOUNCE_MS);
  }
  function searchParams(q, offset, limit) {
    const p = new URLSearchParams({ q, limit: String(limit), offset: String(offset) });
    if (state.lang) p.set('lang', state.lang);
    if (state.products.length) p.set('product', state.products.join(','));
    return addOpts(p, state.opts);
  }
  async function runSearch(historyMode) {
    clearTimeout(state.timer);
    state.q = els.q.value.trim();
    const wasDoc = state.view === 'doc';
    updateHistory(historyMode);
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
      const data = await fetchJSON('/api/search?' + searchParams(state.q, 0, LIMIT), ctrl.signal);
      if (seq !== state.seq) return;
      state.data = data;
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
      const data = await fetchJSON('/api/search?' + searchParams(state.q, state.hits.length, LIMIT));
      if (seq !== state.seq) return;
      const hits = arr(data.hits);
      if (!hits.length) state.exhausted = true;
      const start = state.hits.length;
      state.hits.push(...hits);
      hits.forEach((h, i) => els.results.append(buildHit(h, start + i)));
      updateMore();
    } catch (e) {
      if (seq === state.seq) showError(e.message);
    } finally {
      els.more.disabled = false;
    }
  }
  function clearResults() {
    state.data = null; state.hits = []; state.renderedKey = null;
    setActive(-1);
    els.noticeSlot.replaceChildren(); els.answerSlot.replaceChildren();
    els.results.replaceChildren(); els.noSlot.replaceChildren();
    renderFacets(null);
    els.status.textContent = '';
    els.more.hidden = true;
    els.results.removeAttribute('aria-busy');
    hideError();
  }
  function setLangFilter(lang) {
    state.lang = normLang(lang);
    updateFilterButtons();
    runSearch('push');
  }
  function updateFilterButtons() {
    for (const b of els.filters) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
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

  // ---------------------------------------------------------------- rendering: results
  function renderSearch(data) {
    hideError();
    setActive(-1);
    els.noticeSlot.replaceChildren(); els.answerSlot.replaceChildren();
    els.results.replaceChildren(); els.noSlot.replaceChildren();
    const corrected = str(data.corrected).trim();
    if (corrected && corrected !== state.q) els.noticeSlot.append(buildCorrected(corrected, data));
    const dym = str(data.did_you_mean).trim();
    if (dym && dym !== state.q && dym !== corrected) els.noticeSlot.append(buildDidYouMean(dym));
    const unknown = data.unknown_code && typeof data.unknown_code === 'object' ? data.unknown_code : null;
    if (unknown) els.answerSlot.append(buildUnknownCode(unknown));
    else if (data.answer && typeof data.answer === 'object') els.answerSlot.append(buildAnswer(data.answer));
    state.hits.forEach((h, i) => els.results.append(buildHit(h, i)));
    if (!state.hits.length && !data.answer && !unknown) els.noSlot.append(buildNoResults(data));
    renderFacets(facetsOf(data));
    const ms = Math.round((Number(data.took_ms) || 0) * 10) / 10;
    let status = t('found', Number(data.total) || 0, ms);
    if (normLang(data.lang)) status += ` · ${t('detected', data.lang.toUpperCase())}`;
    els.status.textContent = status;
    updateMore();
  }
  // ---------------------------------------------------------------- rendering: facets
  const facetsOf = (data) => (data && data.facets && typeof data.facets === 'object' ? data.facets : null);
  const facetList = (x) => arr(x)
    .filter((f) => f && typeof f === 'object' && str(f.value))
    .map((f) => ({ value: str(f.value), count: Math.max(0, Math.floor(Number(f.count) || 0)) }));
  /** Product buttons (multi-select) and the counts next to the language buttons.
   *  `facets` null hides them (no query). */
  function renderFacets(facets) {
    renderLangCounts(facets ? facetList(facets.langs) : null);
    if (!facets) { els.facets.hidden = true; els.facets.replaceChildren(els.facetsLabel); return; }
    const list = facetList(facets.products);
    // A selected product the results no longer contain stays visible (count 0) so it can be turned off.
    for (const p of state.products) if (!list.some((f) => f.value === p)) list.push({ value: p, count: 0 });
    const selected = (f) => state.products.includes(f.value);
    const shown = facetsShown();
    const hidden = state.facetsOpen ? [] : list.filter((f, i) => i >= shown && !selected(f));
    const nodes = list.filter((f) => !hidden.includes(f)).map((f) => {
      const b = el('button', 'facet');
      b.type = 'button';
      b.dataset.product = f.value;
      b.setAttribute('aria-pressed', String(selected(f)));
      b.setAttribute('aria-label', t('facetLabel', f.value, f.count));
      b.append(el('span', 'facet-name', f.value), el('span', 'count', f.count));
      return b;
    });
    if (hidden.length || (state.facetsOpen && list.length > shown)) {
      const more = el('button', 'facet-more', hidden.length ? t('facetMore', hidden.length) : t('facetLess'));
      more.type = 'button';
      more.setAttribute('aria-expanded', String(!hidden.length));
      nodes.push(more);
    }
    els.facets.replaceChildren(els.facetsLabel, ...nodes);
    els.facets.hidden = !list.length;
    // The clicked button was replaced: give the focus to its successor.
    const want = state.focusFacet;
    state.focusFacet = null;
    if (want && (!document.activeElement || document.activeElement === document.body)) {
      const b = nodes.find((n) => n.dataset.product === want);
      if (b) b.focus({ preventScroll: true });
    }
  }
  function renderLangCounts(langs) {
    const counts = new Map((langs || []).map((f) => [f.value, f.count]));
    const total = Array.from(counts.values()).reduce((a, b) => a + b, 0);
    for (const b of els.filters) {
      const span = b.querySelector('.count');
      if (!span) continue;
      const n = b.dataset.lang ? counts.get(b.dataset.lang) || 0 : total;
      span.textContent = langs ? String(n) : '';
      span.hidden = !langs;
    }
  }

  function updateMore() {
    const total = state.data ? Number(state.data.total) || 0 : 0;
    els.more.hidden = state.exhausted || !state.hits.length || state.hits.length >= total;
  }
  function buildHit(hit, i) {
    const item = el('div', 'hit');
    item.id = `hit-${i}`;
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', 'false');
    const lang = normLang(hit.lang);
    if (lang) item.lang = lang;

    const head = el('div', 'hit-head');
    const a = el('a', 'hit-title', str(hit.title) || str(hit.path));
    const url = safeUrl(hit.url);
    if (url) a.href = withQuery(url, state.q);
    head.append(a, el('span', 'badge-lang', (lang || str(hit.lang) || '?').toUpperCase()));
    item.append(head);

    const crumbs = joinCrumbs([...arr(hit.breadcrumbs), hit.heading]);
    if (crumbs) item.append(el('div', 'crumbs', crumbs));
    const snippet = el('div', 'snippet');
    snippet.innerHTML = str(hit.snippet); // server-escaped; only <mark> markup
    item.append(snippet);
    const codes = arr(hit.codes).map(str).filter(Boolean);
    if (codes.length) item.append(buildChips(codes));
    return item;
  }
  function buildChips(codes) {
    const box = el('div', 'chips');
    for (const code of codes) {
      const b = el('button', 'code-chip', code);
      b.type = 'button';
      b.dataset.code = code;
      b.setAttribute('aria-label', t('chipLabel', code));
      box.append(b);
    }
    return box;
  }

  // ---------------------------------------------------------------- rendering: corrections
  /** "Showing results for «сертификат истёк». Search for «cthnbabrfn bcn`r» instead" */
  function buildCorrected(corrected, data) {
    const p = el('p', 'notice');
    p.id = 'corrected';
    const q = el('strong', 'notice-query', corrected);
    if (normLang(data.lang)) q.lang = data.lang;
    // The original query, searched as typed: a real link, so it can be shared.
    const a = el('a', 'notice-alt', t('searchInstead', state.q));
    a.href = searchUrl(state.q, state.lang, { ...state.opts, layout: 'false' });
    p.append(`${t('showingFor')} «`, q, '». ', a);
    return p;
  }
  /** "Did you mean: [certificate expired]?" */
  function buildDidYouMean(text) {
    const p = el('p', 'notice');
    p.id = 'did-you-mean';
    const b = el('button', 'link-btn', text);
    b.type = 'button';
    b.addEventListener('click', () => searchFor(text));
    p.append(`${t('didYouMean')} `, b, '?');
    return p;
  }
  /** A query that is only an error code no article carries. */
  function buildUnknownCode(info) {
    const card = el('section', 'answer unknown-code');
    card.id = 'unknown-code';
    card.setAttribute('aria-labelledby', 'unknown-code-title');
    const code = str(info.code) || state.q;
    const title = el('h2', 'unknown-code-title', t('unknownCode', code));
    title.id = 'unknown-code-title';
    card.append(title);
    const nearest = Array.from(new Set(arr(info.nearest).map(str).filter(Boolean))).slice(0, 10);
    card.append(el('p', 'unknown-code-hint', t(nearest.length ? 'unknownCodeHint' : 'unknownCodeNone')));
    if (nearest.length) card.append(buildChips(nearest));
    return card;
  }

  // ---------------------------------------------------------------- rendering: answer card
  function buildAnswer(ans) {
    const card = el('section', 'answer');
    card.id = 'answer-card';
    card.setAttribute('aria-labelledby', 'answer-code');
    const code = str(ans.code);
    card.append(el('p', 'answer-kicker', t('answerKicker')));
    const codeEl = el('p', 'answer-code', code);
    codeEl.id = 'answer-code';
    card.append(codeEl);
    const aliases = arr(ans.aliases).map(str).filter(Boolean);
    if (aliases.length) card.append(el('p', 'answer-aliases', `${t('aliases')} ${aliases.join(' · ')}`));

    // Prefer sections in the filtered language, else the query's, else the UI language.
    const sections = arr(ans.sections).filter((s) => s && typeof s === 'object');
    const want = state.lang || normLang(state.data && state.data.lang) || state.ui;
    const preferred = sections.filter((s) => s.lang === want);
    const pool = preferred.length ? preferred : sections;
    // The first section always; a second one only if it has table records.
    const shown = pool.slice(0, 1).concat(pool.slice(1).filter((s) => arr(s.records).length).slice(0, 1));
    const codeSet = new Set([code, ...aliases].map((c) => c.toLowerCase()));
    // The first section shows up to 3 matching records, later ones just 1.
    shown.forEach((sec, i) => card.append(buildAnswerSection(sec, codeSet, i ? 1 : 3)));

    const rest = sections.filter((s) => !shown.includes(s) && safeUrl(s.url)).slice(0, 3);
    if (rest.length) {
      const p = el('p', 'answer-more', t('alsoIn') + ' ');
      rest.forEach((s, i) => {
        if (i) p.append(' · ');
        const a = el('a', null, joinCrumbs([s.title, s.heading]) || str(s.path));
        a.href = withQuery(safeUrl(s.url), state.q);
        if (normLang(s.lang)) a.lang = s.lang;
        p.append(a);
      });
      card.append(p);
    }
    return card;
  }
  function buildAnswerSection(sec, codeSet, maxRecords) {
    const box = el('div', 'answer-section');
    if (normLang(sec.lang)) box.lang = sec.lang;
    box.append(el('h2', 'answer-section-title', joinCrumbs([sec.title, sec.heading]) || str(sec.path)));
    const records = arr(sec.records).filter((r) => r && typeof r === 'object');
    let matching = records.filter((r) => arr(r.codes).some((c) => codeSet.has(str(c).toLowerCase())));
    if (!matching.length) matching = records.slice(0, 1);
    for (const r of matching.slice(0, maxRecords)) {
      const rec = el('div', 'answer-record');
      if (str(r.message)) rec.append(el('p', 'answer-message', r.message));
      if (str(r.causes)) rec.append(el('h3', null, t('causes')), el('p', 'answer-causes', r.causes));
      if (str(r.actions)) rec.append(el('h3', null, t('actions')), el('p', 'answer-actions', r.actions));
      box.append(rec);
    }
    const url = safeUrl(sec.url);
    if (url) {
      const a = el('a', 'answer-link', t('openSection'));
      a.href = withQuery(url, state.q);
      box.append(a);
    }
    return box;
  }

  // ---------------------------------------------------------------- rendering: nothing found
  // Russian text typed with an English layout (and vice versa): "jib,rf" -> "ошибка".
  const LAYOUT_EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
  const LAYOUT_RU = 'йцукенгшщзхъфывапролджэячсмитьбюё';
  function swapLayout(q) {
    const lower = q.toLowerCase();
    const latin = /[a-z]/.test(lower), cyr = /[а-яё]/.test(lower);
    if (latin === cyr) return '';
    const [from, to] = latin ? [LAYOUT_EN, LAYOUT_RU] : [LAYOUT_RU, LAYOUT_EN];
    const out = Array.from(lower, (ch) => { const i = from.indexOf(ch); return i < 0 ? ch : to[i]; }).join('');
    return out !== lower ? out : '';
  }
  function buildNoResults(data) {
    const box = el('div', 'no-results');
    box.id = 'no-results';
    box.append(el('h2', null, t('noResultsTitle', state.q)), el('p', null, t('noResultsHint')));
    const ul = el('ul');
    for (const tip of t('tips')) ul.append(el('li', null, tip));
    box.append(ul);
    if (state.lang) {
      const b = el('button', 'try-btn', t('allLanguages'));
      b.type = 'button';
      b.addEventListener('click', () => setLangFilter(''));
      box.append(b, ' ');
    }
    if (state.products.length) {
      const b = el('button', 'try-btn', t('allProducts'));
      b.type = 'button';
      b.addEventListener('click', clearProducts);
      box.append(b);
    }
    // The server's own "did you mean" (shown above) and layout correction win
    // over the layout swap guessed here.
    const guessLayout = !str(data && data.did_you_mean) && !str(data && data.corrected);
    offerAlternatives(box, state.seq, state.q, guessLayout);
    return box;
  }
  /** Adds "did you mean" (layout-swapped query, only if it finds something)
   *  and server suggestions, unless a newer search has started meanwhile. */
  async function offerAlternatives(box, seq, q, guessLayout) {
    const swapped = guessLayout ? swapLayout(q) : '';
    const [alt, sugg] = await Promise.all([
      swapped ? fetchJSON('/api/search?' + searchParams(swapped, 0, 1)).catch(() => null) : null,
      fetchJSON('/api/suggest?' + new URLSearchParams({ q })).catch(() => null),
    ]);
    if (seq !== state.seq) return;
    if (alt && Number(alt.total) > 0) box.append(tryRow(t('didYouMean'), [{ text: swapped }]));
    const items = sugg ? arr(sugg.suggestions).filter((s) => s && str(s.text)).slice(0, 6) : [];
    if (items.length) box.append(tryRow(t('suggestions'), items));
  }
  function tryRow(label, items) {
    const p = el('p', 'try-row', label + ' ');
    for (const s of items) {
      const url = safeUrl(s.url);
      let node;
      if (url) {
        node = el('a', 'try-btn', s.text);
        node.href = withQuery(url, str(s.text));
      } else {
        node = el('button', 'try-btn', s.text);
        node.type = 'button';
        node.addEventListener('click', () => searchFor(str(s.text)));
      }
      p.append(node, ' ');
    }
    return p;
  }

  // ---------------------------------------------------------------- keyboard selection
  const hitEls = () => Array.from(els.results.querySelectorAll('.hit'));
  function setActive(i) {
    const hits = hitEls();
    const prev = hits[state.active];
    if (prev) { prev.classList.remove('active'); prev.setAttribute('aria-selected', 'false'); }
    state.active = i >= 0 && i < hits.length ? i : -1;
    const cur = hits[state.active];
    if (cur) {
      cur.classList.add('active');
      cur.setAttribute('aria-selected', 'true');
      els.q.setAttribute('aria-activedescendant', cur.id);
      cur.scrollIntoView({ block: 'nearest' });
    } else {
      els.q.removeAttribute('aria-activedescendant');
    }
  }
  function openActive() {
    const link = hitEls()[state.active]?.querySelector('a.hit-title[href]');
    if (link) navigate(link.getAttribute('href'));
  }
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
      if (state.view === 'doc') { els.q.value = ''; return; }
      els.q.value = '';
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
      openActive();
    }
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
    els.docTitle.hidden = false;
    els.docTitle.textContent = t('loading');
    els.docMeta.replaceChildren(); els.docBody.replaceChildren();
    els.docDesc.hidden = true;
    els.otherLang.hidden = true;
    // Re-encode each segment; refuse dot segments (fetch would normalize them away).
    const segs = rawPath.split('/').map(safeDecode);
    try {
      if (!segs.length || segs.some((s) => !s || s === '.' || s === '..')) throw new Error(t('docError'));
      const doc = await fetchJSON('/api/docs/' + segs.map(encodeURIComponent).join('/'));
      if (seq !== state.docSeq) return;
      state.doc = doc; state.docKey = key;
      renderDoc(doc, q);
      scrollToHash();
    } catch (e) {
      if (seq !== state.docSeq) return;
      els.docTitle.textContent = t('docError');
      document.title = 'kbsearch';
      showError(e.message);
    }
  }
  function updateBackLink() {
    const q = state.q;
    els.backLink.href = searchUrl(q, state.lang);
    els.backLink.textContent = q ? t('backToResults') : t('backToSearch');
  }
  function renderDoc(doc, q) {
    const title = str(doc.title) || str(doc.path);
    document.title = `${title} — kbsearch`;
    els.docTitle.textContent = title;
    renderDocMeta(doc);
    els.docDesc.textContent = str(doc.description);
    els.docDesc.hidden = !str(doc.description);
    if (normLang(doc.lang)) els.doc.lang = doc.lang; else els.doc.removeAttribute('lang');
    renderOtherLanguage(doc, q);
    els.docBody.innerHTML = str(doc.html); // sanitized by the server
    // The article usually opens with its own <h1>: keep just one visible.
    const first = els.docBody.firstElementChild;
    els.docTitle.hidden = !!(first && first.tagName === 'H1');
    highlightTerms(els.docBody, q);
    addCopyButtons(els.docBody);
  }
  function renderDocMeta(doc) {
    const parts = [];
    if (str(doc.date)) parts.push(el('span', 'doc-date', `${t('updated')}: ${doc.date}`));
    const lang = normLang(doc.lang);
    if (lang) {
      const badge = el('span', 'badge-lang', lang.toUpperCase());
      badge.title = t('langName', lang);
      parts.push(badge);
    }
    if (str(doc.product)) {
      const badge = el('span', 'badge-product', doc.product);
      badge.title = t('productBadge');
      parts.push(badge);
    }
    if (str(doc.path)) parts.push(el('span', 'doc-path', doc.path));
    els.docMeta.replaceChildren(...parts);
  }
  /** "Русская версия" / "English version": the same article in the other language. */
  function renderOtherLanguage(doc, q) {
    const other = doc.other_language && typeof doc.other_language === 'object' ? doc.other_language : null;
    const url = other && safeUrl(other.url);
    const lang = other && normLang(str(other.path).split('/')[0]);
    els.otherLang.hidden = !(url && lang);
    if (!url || !lang) { els.otherLang.removeAttribute('href'); return; }
    els.otherLang.href = withQuery(url, q);
    els.otherLang.textContent = t('otherLanguage', lang);
    els.otherLang.lang = lang;
    els.otherLang.hreflang = lang;
  }
  function scrollToHash() {
    if (state.view !== 'doc') return;
    for (const n of els.docBody.querySelectorAll('.is-target')) n.classList.remove('is-target');
    const id = safeDecode(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && els.doc.contains(target)) {
      target.classList.add('is-target'); // :target does not follow pushState
      target.scrollIntoView({ block: 'start' });
    } else {
      window.scrollTo(0, 0);
    }
  }

  /** Stems of the query words: words of >= 3 characters, cut to
   *  max(3, len - 2) characters so inflected forms match too. */
  function queryStems(q) {
    const words = str(q).toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((w) => Array.from(w).length >= 3);
    const stems = words.map((w) => { const c = Array.from(w); return c.slice(0, Math.max(3, c.length - 2)).join(''); });
    return Array.from(new Set(stems)).sort((a, b) => b.length - a.length);
  }
  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** Wraps matches in <mark> by walking text nodes (never touches innerHTML).
   *  A match is a stem at a word start plus the rest of that word. */
  function highlightTerms(root, q) {
    const stems = queryStems(q);
    if (!stems.length) return;
    // Stem at the start of a word, then the rest of that word.
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${stems.map(escapeRe).join('|')})[\\p{L}\\p{N}_]*`, 'giu');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeValue.trim() && !n.parentElement.closest('script, style, mark, button, textarea')
        ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) wrapMatches(node, re);
  }
  function wrapMatches(node, re) {
    const text = node.nodeValue;
    const frag = document.createDocumentFragment();
    let last = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      frag.append(text.slice(last, m.index), el('mark', 'hl', m[0]));
      last = m.index + m[0].length;
    }
    if (!last) return; // no match (a match always has length >= 3)
    frag.append(text.slice(last));
    node.replaceWith(frag);
  }

  function addCopyButtons(root) {
    for (const h of root.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')) {
      const b = el('button', 'copy-link', t('copyLink'));
      b.type = 'button';
      b.dataset.id = h.id;
      b.dataset.heading = h.textContent.trim();
      b.setAttribute('aria-label', t('copyLinkLabel', b.dataset.heading));
      h.append(' ', b);
    }
  }
  function relabelCopyButtons() {
    for (const b of els.docBody.querySelectorAll('button.copy-link')) {
      b.textContent = t('copyLink');
      b.setAttribute('aria-label', t('copyLinkLabel', b.dataset.heading));
    }
  }
  async function copyLink(btn) {
    const url = `${location.origin}${location.pathname}#${btn.dataset.id}`;
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(url); ok = true; }
    } catch (_) { /* permission denied: fall back */ }
    if (!ok) ok = legacyCopy(url, btn);
    btn.textContent = ok ? t('copied') : t('copyFailed');
    btn.classList.toggle('done', ok);
    clearTimeout(btn.resetTimer);
    btn.resetTimer = setTimeout(() => { btn.textContent = t('copyLink'); btn.classList.remove('done'); }, 1800);
  }
  /** Fallback for non-secure contexts: select a temporary input and copy. */
  function legacyCopy(text, returnFocus) {
    const input = el('input', 'offscreen');
    input.value = text;
    input.readOnly = true;
    document.body.append(input);
    input.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
    input.remove();
    returnFocus.focus();
    return ok;
  }

  // ---------------------------------------------------------------- stats footer
  async function loadStats() {
    try { state.stats = await fetchJSON('/api/stats'); renderStats(); } catch (_) { /* footer is optional */ }
  }
  function renderStats() {
    const s = state.stats;
    if (!s) return;
    els.stats.textContent = t('stats', Number(s.documents) || 0, Number(s.sections) || 0, Number(s.codes) || 0);
  }

  // ---------------------------------------------------------------- events
  /** Same-origin links to "/" and "/doc/…" are handled without a page load. */
  function onDocumentClick(e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest ? e.target.closest('a[href]') : null;
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    if (url.pathname !== '/' && !url.pathname.startsWith('/doc/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page anchor
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  }

  function init() {
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual'; // we scroll ourselves
    state.ui = pickUiLang();
    applyUiStrings();
    updateFilterButtons();
    els.q.addEventListener('input', scheduleSearch);
    els.form.addEventListener('submit', (e) => { e.preventDefault(); runSearch('push'); });
    for (const b of els.filters) b.addEventListener('click', () => setLangFilter(b.dataset.lang));
    els.uiLang.addEventListener('click', switchUiLang);
    els.more.addEventListener('click', loadMore);
    els.searchView.addEventListener('click', (e) => {
      const chip = e.target.closest('button.code-chip');
      if (chip) searchFor(chip.dataset.code);
    });
    els.facets.addEventListener('click', (e) => {
      const facet = e.target.closest('button.facet');
      if (facet) { toggleProduct(facet.dataset.product); return; }
      if (e.target.closest('button.facet-more')) {
        state.facetsOpen = !state.facetsOpen;
        if (state.data) renderFacets(facetsOf(state.data));
        const more = els.facets.querySelector('.facet-more');
        if (more) more.focus();
      }
    });
    els.docBody.addEventListener('click', (e) => {
      const btn = e.target.closest('button.copy-link');
      if (btn) copyLink(btn);
    });
    PHONE.addEventListener('change', () => { if (state.data) renderFacets(facetsOf(state.data)); });
    document.addEventListener('click', onDocumentClick);
    document.addEventListener('keydown', onKeydown);
    window.addEventListener('popstate', route);
    route();
    els.q.focus({ preventScroll: true });
    loadStats();
  }
  init();
})();
