/* The document view: the article the server rendered and sanitized, with
 * the searched words highlighted and a copy-link button per heading. */
import { els, state, el, str, arr, normLang, isObject, copyToClipboard } from './dom.js';
import { t } from './i18n.js';
import { safeUrl, withQuery, searchUrl, safeDecode } from './router.js';

export function renderDoc(doc, q, words) {
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
  highlight(els.docBody, words);
  addCopyButtons(els.docBody);
}

/** The view while the article loads. */
export function renderDocLoading() {
  els.docTitle.hidden = false;
  els.docTitle.textContent = t('loading');
  els.docMeta.replaceChildren(); els.docBody.replaceChildren();
  els.docDesc.hidden = true;
  els.otherLang.hidden = true;
}

export function renderDocMeta(doc) {
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
  const other = isObject(doc.other_language) ? doc.other_language : null;
  const url = other && safeUrl(other.url);
  const lang = other && normLang(str(other.path).split('/')[0]);
  els.otherLang.hidden = !(url && lang);
  if (!url || !lang) { els.otherLang.removeAttribute('href'); return; }
  els.otherLang.href = withQuery(url, q);
  els.otherLang.textContent = t('otherLanguage', lang);
  els.otherLang.lang = lang;
  els.otherLang.hreflang = lang;
}

export function updateBackLink() {
  els.backLink.href = searchUrl(state.q, state.lang, state.opts, state.products);
  els.backLink.textContent = state.q ? t('backToResults') : t('backToSearch');
}

export function scrollToHash() {
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

// ---------------------------------------------------------------- highlighting
// No stemming here: the words highlighted are the query's own words as typed
// and the words the server marked (<mark>) in the snippets of its results for
// the query, which already cover inflected forms, synonyms and typo fixes.
const WORD = /[\p{L}\p{N}_]+/gu;
const words = (text) => str(text).toLowerCase().match(WORD) || [];

/** The words to highlight for query `q` and its search hits. */
export function highlightWords(q, hits) {
  const out = new Set(words(q).filter((w) => Array.from(w).length >= 3));
  const parser = new DOMParser(); // inert: nothing in a parsed document runs or loads
  for (const hit of arr(hits)) {
    const snippet = isObject(hit) ? str(hit.snippet) : '';
    if (!snippet.includes('<mark')) continue;
    for (const m of parser.parseFromString(snippet, 'text/html').querySelectorAll('mark')) {
      for (const w of words(m.textContent)) if (Array.from(w).length >= 2) out.add(w);
    }
  }
  return Array.from(out).sort((a, b) => b.length - a.length);
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Wraps whole-word occurrences of `list` in <mark> by walking text nodes
 *  (never touches innerHTML). */
function highlight(root, list) {
  if (!list.length) return;
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${list.map(escapeRe).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
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
  if (!last) return; // no match (a match is never empty)
  frag.append(text.slice(last));
  node.replaceWith(frag);
}

// ---------------------------------------------------------------- copy-link buttons
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

export function relabelCopyButtons() {
  for (const b of els.docBody.querySelectorAll('button.copy-link')) {
    b.textContent = t('copyLink');
    b.setAttribute('aria-label', t('copyLinkLabel', b.dataset.heading));
  }
}

export async function copyLink(btn) {
  const url = `${location.origin}${location.pathname}#${btn.dataset.id}`;
  const ok = await copyToClipboard(url, btn);
  btn.textContent = ok ? t('copied') : t('copyFailed');
  btn.classList.toggle('done', ok);
  clearTimeout(btn.resetTimer);
  btn.resetTimer = setTimeout(() => { btn.textContent = t('copyLink'); btn.classList.remove('done'); }, 1800);
}

