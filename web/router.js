/* URLs: what the address bar says, links the page builds, and history entries.
 * Search pages are `/?q=…&lang=…&product=a,b`, documents `/doc/<path>?q=…#<anchor>`. */
import { str } from './dom.js';

/** Search options copied from the page URL to the API when present
 *  (`layout=false` is also set by "search for the original instead"). */
const OPTION_FLAGS = ['fuzzy', 'layout', 'synonyms', 'translit', 'counterparts', 'lexicon', 'structure'];
const MAX_PRODUCTS = 20;

/** `product=a,b` → sorted unique product names (the API's limits apply). */
export function parseProducts(raw) {
  const list = str(raw).split(',').map((x) => x.trim()).filter((x) => x && x.length <= 200);
  return Array.from(new Set(list)).sort().slice(0, MAX_PRODUCTS);
}
export function safeDecode(s) {
  try { return decodeURIComponent(s); } catch (_) { return s; }
}
/** Only same-origin, root-relative URLs are allowed in links we build
 *  (rejects "//host", "/\host" and other parser tricks via the URL parser). */
export function safeUrl(u) {
  if (typeof u !== 'string' || !u.startsWith('/')) return null;
  try {
    return new URL(u, location.origin).origin === location.origin ? u : null;
  } catch (_) { return null; }
}
/** Insert `?q=` before the fragment: /doc/a.md#x -> /doc/a.md?q=…#x */
export function withQuery(url, q) {
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

/** The search page URL for these settings. */
export function searchUrl(q, lang, opts = {}, products = []) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (lang) p.set('lang', lang);
  if (products.length) p.set('product', products.join(','));
  for (const f of OPTION_FLAGS) if (opts[f]) p.set(f, opts[f]);
  // Keep the product list readable in the address bar: `product=a,b`.
  const s = p.toString().replace(/%2C/gi, ',');
  return s ? `/?${s}` : '/';
}
/** Identifies one set of search results. */
export const keyOf = (q, lang, opts = {}, products = []) =>
  [q, lang, products.join(','), ...OPTION_FLAGS.map((f) => opts[f] || '')].join('\u0000');

/** What the address bar asks for: a document (`docPath`, still encoded) or a search. */
export function readLocation() {
  const params = new URLSearchParams(location.search);
  const lang = str(params.get('lang'));
  return {
    docPath: location.pathname.startsWith('/doc/') ? location.pathname.slice('/doc/'.length) : null,
    q: str(params.get('q')).trim(),
    lang: lang === 'ru' || lang === 'en' ? lang : '',
    opts: optsFrom(params),
    products: parseProducts(params.get('product')),
  };
}

/** Puts `url` into the history: `replace` while typing, `push` on a committed
 *  choice, `none` when following the address bar. Leaving a /doc/ page always
 *  pushes, so the document stays reachable with Back. */
export function updateHistory(url, mode) {
  if (mode === 'none') return;
  if (location.pathname !== '/') mode = 'push';
  if (url === location.pathname + location.search + location.hash) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** For a plain click on a same-origin link to "/" or "/doc/…": the URL to open
 *  inside the app; null for anything the browser should handle itself. */
export function appLinkTarget(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const a = e.target.closest ? e.target.closest('a[href]') : null;
  if (!a || a.target || a.hasAttribute('download')) return null;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return null;
  if (url.pathname !== '/' && !url.pathname.startsWith('/doc/')) return null;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return null; // in-page anchor
  return url.pathname + url.search + url.hash;
}
