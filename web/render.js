/* The search view: status line, the server's corrections, the answer card,
 * results, product facets and the "nothing found" box.
 * Buttons that start something carry data attributes the app listens for:
 * `data-search` (search for this text), `data-action` (all-languages,
 * all-products), `data-product` (facets). */
import { els, state, el, str, arr, normLang, isObject, joinCrumbs, hideError, copyToClipboard } from './dom.js';
import { t, uiLang } from './i18n.js';
import { safeUrl, withQuery, searchUrl } from './router.js';
import * as api from './api.js';

/** Product facets shown before "+N more" (selected ones are always shown): fewer on a phone. */
export const PHONE = window.matchMedia('(max-width: 480px)');
const facetsShown = () => (PHONE.matches ? 4 : 8);

export function renderSearch(data) {
  hideError();
  setActive(-1);
  els.noticeSlot.replaceChildren(); els.answerSlot.replaceChildren();
  els.results.replaceChildren(); els.noSlot.replaceChildren();
  // The server corrected the keyboard layout and searched the corrected text.
  const corrected = str(data.corrected).trim();
  if (corrected && corrected !== state.q) els.noticeSlot.append(buildCorrected(corrected, data));
  // Words the server also searched in the other script.
  const readings = Array.isArray(data.transliterated) ? data.transliterated.filter(isObject) : [];
  if (readings.length) els.noticeSlot.append(buildTransliterated(readings));
  // The server's spelling suggestion: a click searches for it.
  const dym = str(data.did_you_mean).trim();
  if (dym && dym !== state.q && dym !== corrected) els.noticeSlot.append(buildDidYouMean(dym));
  const unknown = isObject(data.unknown_code) ? data.unknown_code : null;
  if (unknown) els.answerSlot.append(buildUnknownCode(unknown));
  else if (isObject(data.answer)) els.answerSlot.append(buildAnswer(data.answer));
  appendHits(state.hits, 0);
  if (!state.hits.length && !data.answer && !unknown) els.noSlot.append(buildNoResults());
  renderFacets(facetsOf(data));
  const ms = Math.round((Number(data.took_ms) || 0) * 10) / 10;
  let status = t('found', Number(data.total) || 0, ms);
  if (normLang(data.lang)) status += ` · ${t('detected', data.lang.toUpperCase())}`;
  els.status.textContent = status;
  updateMore();
}

export function clearResults() {
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

export function appendHits(hits, start) {
  hits.forEach((h, i) => els.results.append(buildHit(h, start + i)));
}

export function updateMore() {
  const total = state.data ? Number(state.data.total) || 0 : 0;
  els.more.hidden = state.exhausted || !state.hits.length || state.hits.length >= total;
}

export function updateFilterButtons() {
  for (const b of els.filters) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

// ---------------------------------------------------------------- keyboard selection
export const hitEls = () => Array.from(els.results.querySelectorAll('.hit'));

export function setActive(i) {
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

/** The link of the selected hit, if any. */
export function activeHref() {
  const link = hitEls()[state.active]?.querySelector('a.hit-title[href]');
  return link ? link.getAttribute('href') : null;
}

// ---------------------------------------------------------------- facets
export const facetsOf = (data) => (data && isObject(data.facets) ? data.facets : null);
const facetList = (x) => arr(x)
  .filter((f) => isObject(f) && str(f.value))
  .map((f) => ({ value: str(f.value), count: Math.max(0, Math.floor(Number(f.count) || 0)) }));

/** Product buttons (multi-select) and the counts next to the language buttons.
 *  `facets` null hides them (no query). */
export function renderFacets(facets) {
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

// ---------------------------------------------------------------- hits
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

function searchButton(cls, text) {
  const b = el('button', cls, text);
  b.type = 'button';
  b.dataset.search = text;
  return b;
}

function buildChips(codes) {
  const box = el('div', 'chips');
  for (const code of codes) {
    const b = searchButton('code-chip', code);
    b.setAttribute('aria-label', t('chipLabel', code));
    box.append(b);
  }
  return box;
}

// ---------------------------------------------------------------- the server's corrections
/** "Showing results for «сертификат истёк». Search for «cthnbabrfn bcn`r» instead" */
function buildCorrected(corrected, data) {
  const p = el('p', 'notice');
  p.id = 'corrected';
  const q = el('strong', 'notice-query', corrected);
  if (normLang(data.lang)) q.lang = data.lang;
  // The original query, searched as typed: a real link, so it can be shared.
  const a = el('a', 'notice-alt', t('searchInstead', state.q));
  a.href = searchUrl(state.q, state.lang, { ...state.opts, layout: 'false' }, state.products);
  p.append(`${t('showingFor')} «`, q, '». ', a);
  return p;
}

/** "Also searched as: снапшот → snapshot. Search only as typed" */
function buildTransliterated(readings) {
  const p = el('p', 'notice');
  p.id = 'transliterated';
  const pairs = readings.map((r) => `${str(r.word)} → ${str(r.reading)}`).join(', ');
  const a = el('a', 'notice-alt', t('searchAsTyped'));
  a.href = searchUrl(state.q, state.lang, { ...state.opts, translit: 'false' }, state.products);
  p.append(`${t('alsoSearched')}: `, el('strong', 'notice-query', pairs), '. ', a);
  return p;
}

/** "Did you mean «certificate expired»?" */
function buildDidYouMean(text) {
  const p = el('p', 'notice');
  p.id = 'did-you-mean';
  p.append(`${t('didYouMean')} «`, searchButton('link-btn', text), '»?');
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

// ---------------------------------------------------------------- answer card
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
  const sections = arr(ans.sections).filter(isObject);
  const want = state.lang || normLang(state.data && state.data.lang) || uiLang();
  const preferred = sections.filter((s) => s.lang === want);
  const pool = preferred.length ? preferred : sections;
  // The first section always; a second one only if it has table records.
  const shown = pool.slice(0, 1).concat(pool.slice(1).filter((s) => arr(s.records).length).slice(0, 1));
  const codeSet = new Set([code, ...aliases].map((c) => c.toLowerCase()));
  // The first section shows up to 3 matching records, later ones just 1.
  const copied = [`${t('answerKicker')} ${code}`];
  shown.forEach((sec, i) => card.append(buildAnswerSection(sec, codeSet, i ? 1 : 3, copied)));
  card.append(buildCopyAnswer(copied.join('\n\n')));

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

/** The "Copy answer" button: `text` is what the card shows, as plain text. */
function buildCopyAnswer(text) {
  const btn = el('button', 'copy-answer', t('copyAnswer'));
  btn.type = 'button';
  btn.title = t('copyAnswerLabel');
  btn.dataset.copyText = text;
  btn.addEventListener('click', async () => {
    const ok = await copyToClipboard(text, btn);
    btn.textContent = ok ? t('copied') : t('copyFailed');
    btn.classList.toggle('done', ok);
    clearTimeout(btn.resetTimer);
    btn.resetTimer = setTimeout(() => { btn.textContent = t('copyAnswer'); btn.classList.remove('done'); }, 1800);
  });
  return btn;
}

/** A record's Markdown as plain text for a ticket: no bold or code marks;
 * line breaks and `- ` list items stay. */
function plainText(markdown) {
  return str(markdown).replace(/\*\*/g, '').replace(/`/g, '');
}

/** A record's causes or actions: the server's sanitized HTML (lists,
 * breaks, bold, code) when it sent it, else the text. */
function recordBlock(html, text, cls) {
  if (typeof html === 'string' && html) {
    const box = el('div', cls);
    box.innerHTML = html; // sanitized by the server, like a document
    return box;
  }
  return el('p', cls, plainText(text));
}

function buildAnswerSection(sec, codeSet, maxRecords, copied) {
  const box = el('div', 'answer-section');
  if (normLang(sec.lang)) box.lang = sec.lang;
  box.append(el('h2', 'answer-section-title', joinCrumbs([sec.title, sec.heading]) || str(sec.path)));
  const records = arr(sec.records).filter(isObject);
  let matching = records.filter((r) => arr(r.codes).some((c) => codeSet.has(str(c).toLowerCase())));
  if (!matching.length) matching = records.slice(0, 1);
  const url = safeUrl(sec.url);
  const lines = [joinCrumbs([sec.title, sec.heading]) || str(sec.path)];
  for (const r of matching.slice(0, maxRecords)) {
    const rec = el('div', 'answer-record');
    if (str(r.message)) {
      rec.append(el('p', 'answer-message', r.message));
      lines.push(`${t('message')}: ${str(r.message)}`);
    }
    if (str(r.causes)) {
      rec.append(el('h3', null, t('causes')), recordBlock(r.causes_html, r.causes, 'answer-causes'));
      lines.push(`${t('causes')}:\n${plainText(r.causes)}`);
    }
    if (str(r.actions)) {
      rec.append(el('h3', null, t('actions')), recordBlock(r.actions_html, r.actions, 'answer-actions'));
      lines.push(`${t('actions')}:\n${plainText(r.actions)}`);
    }
    box.append(rec);
  }
  if (url) lines.push(new URL(url, location.origin).href);
  copied.push(lines.join('\n'));
  if (url) {
    const a = el('a', 'answer-link', t('openSection'));
    a.href = withQuery(url, state.q);
    box.append(a);
  }
  return box;
}

// ---------------------------------------------------------------- nothing found
function buildNoResults() {
  const box = el('div', 'no-results');
  box.id = 'no-results';
  box.append(el('h2', null, t('noResultsTitle', state.q)), el('p', null, t('noResultsHint')));
  const ul = el('ul');
  for (const tip of t('tips')) ul.append(el('li', null, tip));
  box.append(ul);
  if (state.lang) {
    const b = el('button', 'try-btn', t('allLanguages'));
    b.type = 'button';
    b.dataset.action = 'all-languages';
    box.append(b, ' ');
  }
  if (state.products.length) {
    const b = el('button', 'try-btn', t('allProducts'));
    b.type = 'button';
    b.dataset.action = 'all-products';
    box.append(b);
  }
  offerSuggestions(box, state.seq, state.q);
  return box;
}

/** Adds the server's completions for the query, unless a newer search has started meanwhile. */
async function offerSuggestions(box, seq, q) {
  const sugg = await api.suggest(q).catch(() => null);
  if (seq !== state.seq) return;
  const items = sugg ? arr(sugg.suggestions).filter((s) => isObject(s) && str(s.text)).slice(0, 6) : [];
  if (!items.length) return;
  const p = el('p', 'try-row', `${t('suggestions')} `);
  for (const s of items) {
    const text = str(s.text);
    const url = safeUrl(s.url);
    let node;
    if (url) {
      node = el('a', 'try-btn', text);
      node.href = withQuery(url, text);
    } else {
      node = searchButton('try-btn', text);
    }
    p.append(node, ' ');
  }
  box.append(p);
}
