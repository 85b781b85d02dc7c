// The article of a saved web page: its text as paragraphs, and its metadata.
//
// Loaded on first use only (the app imports this module when a web page is imported or pasted),
// so it costs the first load nothing. The page is parsed with the browser's DOMParser into an
// inert document: its scripts never run, nothing loads, and nothing of it is ever put into the
// app's DOM; only strings come out. The body is Mozilla Readability's (Firefox Reader View),
// turned into one line per paragraph, heading, list item or quote; the metadata is read from
// JSON-LD (NewsArticle / Article …), OpenGraph, meta tags, <link rel=canonical> and <time>, in
// that order of trust, with Readability's own findings as fallbacks.
//
// `tests/e2e/extract-quality.mjs` (make extract-quality) measures this very module.

import { Readability } from './readability.js';
import { rememberTexts } from './text-lengths.js';

/** Elements whose text is a paragraph of its own (by `localName`, as HTML gives it: lower case). */
const BLOCKS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'figcaption', 'dd', 'dt',
  'div', 'section', 'article', 'header', 'footer', 'ul', 'ol', 'dl', 'table', 'tr', 'figure',
  'address', 'aside', 'main', 'nav', 'caption', 'hr', 'details', 'summary', 'center',
]);
/** Elements whose text is never article text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'button', 'select', 'textarea', 'iframe', 'object', 'canvas']);
/** Cells are separated by a space, not a paragraph. */
const CELLS = new Set(['td', 'th']);

const collapse = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * The text of `root` as paragraphs: one per block element, `<br>` ending a line, whitespace
 * collapsed, empty lines dropped.
 */
export function paragraphsOf(root) {
  const paragraphs = [];
  let line = '';
  const flush = () => {
    const text = collapse(line);
    if (text) paragraphs.push(text);
    line = '';
  };
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        line += child.nodeValue;
      } else if (child.nodeType === 1) {
        const tag = child.localName.toLowerCase();
        if (SKIP.has(tag) || child.hidden) continue;
        if (tag === 'br') {
          flush();
        } else if (BLOCKS.has(tag)) {
          flush();
          walk(child);
          flush();
        } else if (CELLS.has(tag)) {
          line += ' ';
          walk(child);
          line += ' ';
        } else {
          walk(child);
        }
      }
    }
  };
  walk(root);
  flush();
  return paragraphs;
}

/**
 * Short lines that are page furniture wherever they stand: ad labels, share and follow prompts,
 * "read more" links, newsletter calls. Only lines of a few words are dropped, never prose.
 */
const FURNITURE = /^(?:advertisement|advertising|advert|anzeige|publicité|publicidad|sponsored( content)?|story continues below( advertisement)?|(?:continue|keep) reading( below)?|read more|read next|related( stories| articles| content)?|more on this( story)?|see also|share( this( article| story)?)?( on \w+)?|follow us( on \w+)?|click (?:here|to (?:share|print|email))|sign up( (?:for|to) (?:our|the) \w+( newsletter)?)?|subscribe( now| today)?|skip (?:to content|advertisement)|image|photo|video|listen( to this article)?|print|email|copy link|comments?|loading(…|\.\.\.)?)[\s.:!…]*$/i;

const isFurniture = (line) => line.split(' ').length <= 8 && FURNITURE.test(line);

// --- metadata ------------------------------------------------------------------------------

const ARTICLE_TYPES = /^(?:News|Reportage|Analysis|Opinion|Review|Background|Satirical|Scholarly|Tech|Report|Blog)?(?:Article|Posting|BlogPosting|LiveBlogPosting)$|^(?:BlogPosting|LiveBlogPosting|Report|WebPage)$/;

function types(node) {
  const type = node && node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((value) => typeof value === 'string').map((value) => value.replace(/^.*[/#:]/, ''));
}

/** Every object in a JSON-LD value, @graph and nested arrays flattened. */
function jsonLdNodes(value, out = []) {
  if (Array.isArray(value)) {
    value.forEach((item) => jsonLdNodes(item, out));
  } else if (value && typeof value === 'object') {
    out.push(value);
    if (value['@graph']) jsonLdNodes(value['@graph'], out);
  }
  return out;
}

function text(value) {
  if (typeof value === 'string') return collapse(decodeEntities(value));
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object') return text(value.name ?? value['@value'] ?? value['@id'] ?? value.url ?? '');
  return '';
}

let entityDecoder;
function decodeEntities(value) {
  if (!/&(?:#\d+|#x[\da-f]+|[a-z]+\d*);/i.test(value)) return value;
  entityDecoder ??= new DOMParser();
  return entityDecoder.parseFromString(`<!doctype html><body>${value.replace(/</g, '&lt;')}`, 'text/html').body.textContent;
}

function names(value) {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((item) => (typeof item === 'string' ? collapse(item) : text(item?.name ?? ''))).filter((name) => name && !/^https?:\/\//i.test(name));
}

/** The JSON-LD article object of the page, the most article-like first. */
function jsonLdArticle(doc) {
  let best = null;
  let bestRank = 0;
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    let parsed;
    try {
      parsed = JSON.parse(script.textContent.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ''));
    } catch {
      continue;
    }
    for (const node of jsonLdNodes(parsed)) {
      const nodeTypes = types(node);
      const rank = nodeTypes.some((type) => /NewsArticle|ReportageNewsArticle|AnalysisNewsArticle/.test(type)) ? 3
        : nodeTypes.some((type) => ARTICLE_TYPES.test(type) && type !== 'WebPage') ? 2
        : nodeTypes.includes('WebPage') && node.headline ? 1 : 0;
      if (rank > bestRank) {
        best = node;
        bestRank = rank;
      }
    }
  }
  return best;
}

/** The page's `<meta>` elements, read once: asking the whole document for each of forty keys
 *  costs a scan of every element each time. */
const metaElements = new WeakMap();

/** The `<meta>` elements whose `attributes` name `key` (a space-separated list, any case), in
 *  document order: what `meta[property~="key" i], …` selects. */
function metasNaming(doc, key, attributes) {
  let elements = metaElements.get(doc);
  if (!elements) {
    elements = [...doc.getElementsByTagName('meta')];
    metaElements.set(doc, elements);
  }
  const wanted = key.toLowerCase();
  const names = (value) => (value ? value.toLowerCase().split(/[ \t\n\f\r]+/) : []);
  return elements.filter((element) => attributes.some((attribute) => names(element.getAttribute(attribute)).includes(wanted)));
}

function meta(doc, ...keys) {
  for (const key of keys) {
    const element = metasNaming(doc, key, ['property', 'name', 'itemprop'])[0];
    const content = element && collapse(element.getAttribute('content') || '');
    if (content) return decodeEntities(content);
  }
  return '';
}

function metas(doc, key) {
  return metasNaming(doc, key, ['property', 'name'])
    .map((element) => collapse(element.getAttribute('content') || ''))
    .filter((content) => content && !/^https?:\/\//i.test(content));
}

function absolute(url, base) {
  if (!url) return '';
  try {
    return new URL(url, base || undefined).href;
  } catch {
    return /^https?:\/\//i.test(url) ? url : '';
  }
}

/** The page's metadata, before Readability changes the document. */
export function readMetadata(doc, baseUrl) {
  const ld = jsonLdArticle(doc) || {};
  const publisher = ld.publisher && text(ld.publisher.name ?? ld.publisher);
  const page = ld.mainEntityOfPage;
  const ldUrl = text(ld.url) || (typeof page === 'string' ? page : text(page?.['@id'] ?? page?.url ?? ''));
  const canonicalLink = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href');
  const base = baseUrl || undefined;
  const time = doc.querySelector('article time[datetime], time[itemprop~="datePublished"][datetime], time[pubdate][datetime], time[datetime]');
  const html = doc.documentElement;
  const direction = (html.getAttribute('dir') || doc.body?.getAttribute('dir') || '').toLowerCase();
  let authors = names(ld.author ?? ld.creator);
  if (!authors.length) authors = metas(doc, 'article:author');
  if (!authors.length) authors = [meta(doc, 'author', 'byl', 'dc.creator', 'parsely-author', 'sailthru.author', 'citation_author')].filter(Boolean);
  return {
    headline: text(ld.headline) || meta(doc, 'dc:title', 'dcterm:title', 'og:title', 'twitter:title', 'dc.title', 'parsely-title') || text(ld.name),
    authors,
    siteName: publisher || meta(doc, 'og:site_name', 'application-name', 'al:android:app_name', 'twitter:site').replace(/^@/, ''),
    published: text(ld.datePublished) || meta(doc, 'article:published_time', 'datePublished', 'og:published_time', 'parsely-pub-date', 'sailthru.date', 'dc.date.issued', 'dc.date', 'dcterms.created', 'pubdate', 'publishdate', 'publish-date', 'date', 'citation_publication_date') || (time?.getAttribute('datetime') ?? '').trim(),
    modified: text(ld.dateModified) || meta(doc, 'article:modified_time', 'og:updated_time', 'dateModified', 'last-modified', 'dcterms.modified'),
    canonicalUrl: absolute(canonicalLink, base) || absolute(meta(doc, 'og:url'), base) || absolute(ldUrl, base),
    language: (html.getAttribute('lang') || text(ld.inLanguage) || meta(doc, 'og:locale', 'language', 'content-language', 'dc.language').replace('_', '-')).trim(),
    direction: direction === 'rtl' || direction === 'ltr' ? direction : '',
    description: text(ld.description) || meta(doc, 'og:description', 'description', 'twitter:description', 'dc.description'),
  };
}

// --- the article ---------------------------------------------------------------------------

/**
 * The byline repeated at the top of the body ("By Jane Doe · 22 March 2024") is metadata, not
 * article text: a short line among the first three that starts with "By" or names an author.
 */
function withoutBylines(paragraphs, authors) {
  const names = authors.map((name) => name.toLowerCase()).filter((name) => name.length > 3);
  return paragraphs.filter((line, index) => {
    if (index > 2 || line.split(' ').length > 12) return true;
    const lower = line.toLowerCase();
    return !(/^(by|par|por|von|di|door|av|przez)\s/i.test(line) || names.some((name) => lower.includes(name)));
  });
}

/** Whether the article's body begins with `heading` (Readability keeps it, as an <h2>). */
function opensArticle(content, heading, paragraphs) {
  const first = content.querySelector('h1, h2');
  return paragraphs[0] === heading && first && collapse(first.textContent) === heading;
}

/** Whether two titles share a word of three letters or more (the same story, worded twice). */
function sharesAWord(first, second) {
  const words = (text) => new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) || []));
  const other = words(second);
  return [...words(first)].some((word) => other.has(word));
}

/** A short "article" that is mostly link text is a menu or index, not a story. */
function looksLikeMenu(content, paragraphs) {
  const words = (text) => text.split(/\s+/).filter(Boolean).length;
  const total = words(paragraphs.join(' '));
  if (total >= 50) return false;
  // A `javascript:` link is no link to another page (Readability would turn it into its text).
  const links = [...content.querySelectorAll('a')].filter((link) => !/^\s*javascript:/i.test(link.getAttribute('href') || ''));
  const linked = links.reduce((sum, link) => sum + words(link.textContent), 0);
  return linked >= 0.5 * total;
}

/** Readability's options: its defaults, keeping the elements so no HTML is re-parsed. */
const READABILITY_OPTIONS = { serializer: (element) => element, keepClasses: false };

/**
 * Readability for text only. Its last steps ready the article's HTML for display — absolute
 * link and image URLs, nested `<div>`s merged, classes and inline styles removed — and change
 * no text, yet on a long page they cost a third of the time; only the text is read here.
 */
function readArticle(doc, html) {
  const reader = new Readability(doc, READABILITY_OPTIONS);
  reader._postProcessContent = () => {};
  reader._cleanStyles = () => {};
  // The same answers as Readability's own, without building strings and style objects.
  reader._isProbablyVisible = isProbablyVisible;
  reader._isElementWithoutContent = isElementWithoutContent;
  reader._isValidByline = isValidByline;
  // Scoring asks for the same texts and lengths again and again: they are remembered.
  const remembered = rememberTexts(reader, doc);
  const restoreHtml = withoutSerialising(doc, reader, html, remembered.observe);
  try {
    return reader.parse();
  } finally {
    restoreHtml();
    remembered.stop();
  }
}

const innerHtml = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
const SNAPSHOT = Symbol('the body as Readability prepared it');

/**
 * Readability serialises HTML it never parses again: the whole `<body>` once per pass, kept to
 * start over should the article come out too short, and the article container four times for
 * debug messages that are built even when nobody logs them. On a 1.5 MB page that costs as
 * much as parsing it. While Readability runs, the body's snapshot is a token: on the rare pass
 * that starts over, the body is rebuilt from `html` by the same steps Readability took before
 * its first pass. The containers Readability creates as `"DIV"` (the article and its page
 * wrapper; Readability reads their `innerHTML` only for those messages) give an empty string.
 * Returns the function that ends this (the containers then serialise as usual).
 */
function withoutSerialising(doc, reader, html, created) {
  const body = doc.body;
  const createElement = doc.createElement;
  let reading = true;
  const quiet = {
    configurable: true,
    get() {
      return reading ? '' : innerHtml.get.call(this);
    },
    set(value) {
      innerHtml.set.call(this, value);
    },
  };
  doc.createElement = function (tag, options) {
    const element = createElement.call(this, tag, options);
    created(element);
    if (tag === 'DIV') Object.defineProperty(element, 'innerHTML', quiet);
    return element;
  };
  if (body) {
    Object.defineProperty(body, 'innerHTML', {
      configurable: true,
      get: () => SNAPSHOT,
      set(value) {
        if (value === SNAPSHOT) body.replaceChildren(...preparedBody(reader, html).childNodes);
        else innerHtml.set.call(body, value);
      },
    });
  }
  return () => {
    reading = false;
    delete doc.createElement;
    if (body) delete body.innerHTML;
  };
}

/** The body of `html` after the steps Readability's `parse` takes before its first pass. */
function preparedBody(reader, html) {
  const fresh = new DOMParser().parseFromString(html, 'text/html');
  const own = reader._doc;
  reader._doc = fresh;
  try {
    reader._unwrapNoscriptImages(fresh);
    reader._removeScripts(fresh);
    reader._prepDocument();
  } finally {
    reader._doc = own;
  }
  return fresh.body;
}

/** Readability's visibility test; an element without a `style` attribute skips the style. */
function isProbablyVisible(node) {
  return (
    (!node.hasAttribute('style') || !node.style || (node.style.display != 'none' && node.style.visibility != 'hidden')) &&
    !node.hasAttribute('hidden') &&
    (!node.hasAttribute('aria-hidden') || node.getAttribute('aria-hidden') != 'true' || (node.className && node.className.includes && node.className.includes('fallback-image')))
  );
}

/** Readability's byline test, reading the element's text only when it looks like a byline. */
function isValidByline(node, matchString) {
  const rel = node.getAttribute('rel');
  const itemprop = node.getAttribute('itemprop');
  if (!(rel === 'author' || (itemprop && itemprop.includes('author')) || this.REGEXPS.byline.test(matchString))) return false;
  const bylineLength = node.textContent.trim().length;
  return !!bylineLength && bylineLength < 100;
}

/** Whether `node` holds any text but white space: `textContent.trim() !== ''`, stopping early. */
function hasText(node) {
  const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_CDATA_SECTION);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (/\S/.test(text.data)) return true;
  }
  return false;
}

/** Readability's test for an element with nothing in it but `<br>`s and `<hr>`s. */
function isElementWithoutContent(node) {
  return (
    node.nodeType === Node.ELEMENT_NODE &&
    !hasText(node) &&
    (!node.children.length || node.children.length == node.getElementsByTagName('br').length + node.getElementsByTagName('hr').length)
  );
}

/**
 * Extracts the article of `html` (a whole page as a string). `baseUrl` resolves relative URLs
 * (the page's own address when known, e.g. an MHTML's Content-Location).
 *
 * Returns `{ok: true, title, paragraphs, metadata}`, or `{ok: false, reason, title,
 * wholeText}` when no article is recognisable (with the page's whole text to offer instead).
 */
export function extractArticle(html, baseUrl = '') {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const metadata = readMetadata(doc, baseUrl);
  const pageTitle = collapse(doc.title || '');
  // Readability turns the article's <h1> into an <h2>, so it is read before.
  const headings = doc.body ? doc.body.querySelectorAll('h1') : [];
  const pageHeading = headings.length === 1 ? collapse(headings[0].textContent) : '';
  const whole = () => paragraphsOf(new DOMParser().parseFromString(html, 'text/html').body || doc).join('\n');
  let article = null;
  try {
    article = readArticle(doc, html);
  } catch (error) {
    return { ok: false, reason: `the page could not be read (${error?.message ?? error})`, title: pageTitle, wholeText: whole(), metadata };
  }
  let paragraphs = article?.content ? paragraphsOf(article.content).filter((line) => !isFurniture(line)) : [];
  let title = collapse(article?.title || '') || metadata.headline || pageTitle;
  // A page that names no headline in its metadata: the one <h1> of the article is the headline
  // (the <title> is often the site's wording, "Harbour report | Coast Herald").
  if (!metadata.headline && pageHeading && pageHeading !== title && opensArticle(article.content, pageHeading, paragraphs) && sharesAWord(pageHeading, pageTitle)) {
    title = pageHeading;
  }
  // The headline is the title, not the first paragraph of the body.
  if (paragraphs.length > 1 && collapse(paragraphs[0]).toLowerCase() === title.toLowerCase()) paragraphs = paragraphs.slice(1);
  if (!paragraphs.length || looksLikeMenu(article.content, paragraphs)) {
    return { ok: false, reason: 'no article found in this page', title, wholeText: whole(), metadata };
  }
  if (article.byline && !metadata.authors.length) metadata.authors = [collapse(article.byline)];
  paragraphs = withoutBylines(paragraphs, metadata.authors);
  metadata.headline ||= title;
  metadata.siteName ||= collapse(article.siteName || '');
  metadata.published ||= collapse(article.publishedTime || '');
  metadata.language ||= article.lang || '';
  if (!metadata.direction && (article.dir === 'rtl' || article.dir === 'ltr')) metadata.direction = article.dir;
  return { ok: true, title, paragraphs, text: paragraphs.join('\n\n'), metadata };
}

/**
 * The article in HTML pasted from a browser (the clipboard's `text/html`). A whole copied page
 * goes through `extractArticle`; a selection of a few paragraphs is kept as it is, since the
 * person chose exactly that: when Readability keeps less than 60 % of its words, the
 * selection's own paragraphs are the article.
 */
export function extractPasted(html) {
  const selection = paragraphsOf(new DOMParser().parseFromString(html, 'text/html').body).filter((line) => !isFurniture(line));
  const result = extractArticle(html, '');
  const words = (lines) => lines.join(' ').split(' ').filter(Boolean).length;
  if (result.ok && words(result.paragraphs) >= 0.6 * words(selection)) return result;
  if (!selection.length) return result;
  const metadata = result.metadata ?? readMetadata(new DOMParser().parseFromString(html, 'text/html'), '');
  return { ok: true, title: result.ok ? result.title : '', paragraphs: selection, text: selection.join('\n\n'), metadata };
}
