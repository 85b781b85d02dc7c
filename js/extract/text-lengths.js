// What Readability asks of an element's text, answered from what is remembered.
//
// Readability reads an element's text (`textContent`, trimmed, runs of white space collapsed)
// again and again, and on a long page most often only for its length: every scoring candidate's
// for its link density (with the text of every link inside it), every `<div>`'s while cleaning
// the article. Building those strings for the largest elements was most of its time on a long
// page. Here a length is computed bottom-up instead — an element's from its children's, each
// remembered — and so are comma counts, each link's share of link text, and the texts
// themselves when asked for. Everything remembered for a node is forgotten when its subtree
// changes: a MutationObserver reports every change synchronously (through `takeRecords()`), and
// a change forgets its target and the target's ancestors as they stand when it is read. An
// element whose subtree changed is always among them (were it not, some element between it and
// the target moved, and that move's own record names an element under it).
//
// The answers are exactly Readability's own, floating-point sums included (`compareAnswers` in
// tests/e2e/extract-quality.mjs checks every answer on every test page, run by
// `extract_quality.test.mjs`); Readability itself is unchanged.

/** Readability's `REGEXPS.normalize`: a run of two or more white-space characters. */
const RUNS = /\s{2,}/g;
const WHITE = /\s/;
const WORD = /\S/;

/**
 * The shape of a text, enough to know the length of its normalised form and to join it to its
 * neighbours': `collapsed` is its length with every run of white space counted as one,
 * `leading` / `trailing` whether it starts / ends with white space, `words` whether it holds
 * anything else, `commas` how many `,` it holds.
 */
const EMPTY = Object.freeze({ collapsed: 0, leading: false, trailing: false, words: false, commas: 0 });

function commasIn(data) {
  let count = 0;
  for (let at = data.indexOf(','); at >= 0; at = data.indexOf(',', at + 1)) count += 1;
  return count;
}

function shapeOfText(data) {
  if (!data) return EMPTY;
  return {
    // Runs of two or more become one character, a single white-space character stays one.
    collapsed: data.replace(RUNS, ' ').length,
    leading: WHITE.test(data[0]),
    trailing: WHITE.test(data[data.length - 1]),
    words: WORD.test(data),
    commas: commasIn(data),
  };
}

/** The length of the normalised text (`text.trim().replace(/\s{2,}/g, ' ')`) of a shape. */
const lengthOf = (shape) => (shape.words ? shape.collapsed - shape.leading - shape.trailing : 0);

/**
 * Remembers what `reader` (a Readability about to parse `doc`) asks of texts, replacing its
 * `_getInnerText`, `_getLinkDensity`, `_getTextDensity` and `_getCharCount` with the same
 * answers from memory. Returns `observe(element)`, to call for every element created outside
 * the document (they are watched too), and `stop()`.
 */
export function rememberTexts(reader, doc) {
  const changes = new MutationObserver(() => {});
  const observed = { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['href'] };
  const fresh = () => ({ texts: new WeakMap(), normalizedTexts: new WeakMap(), shapes: new WeakMap(), linkShares: new WeakMap() });
  let memory = fresh();
  /** A tree's links in document order with their shares (see `_getLinkDensity` below). */
  let linkOrder = null;
  // Readability's first steps change the document a great deal and ask little (the page's
  // preparation, then hidden and unlikely elements removed and `<div>`s turned into paragraphs,
  // node by node); scoring then asks the most. Nothing is remembered, and no change recorded,
  // until scoring starts (its first question is for a paragraph's ancestors); before that every
  // question is answered afresh.
  let watching = false;
  const createdBefore = [];
  const startWatching = () => {
    if (watching) return;
    watching = true;
    memory = fresh();
    changes.observe(doc, observed);
    for (const element of createdBefore) if (!element.isConnected) changes.observe(element, observed);
    createdBefore.length = 0;
  };
  const ancestors = reader._getNodeAncestors;
  reader._getNodeAncestors = function (node, maxDepth) {
    startWatching();
    return ancestors.call(this, node, maxDepth);
  };
  const current = () => {
    if (!watching) {
      memory = fresh();
      return;
    }
    const records = changes.takeRecords();
    if (!records.length) return;
    linkOrder = null;
    const { texts, normalizedTexts, shapes, linkShares } = memory;
    const forgotten = new Set();
    for (const record of records) {
      for (let node = record.target; node && !forgotten.has(node); node = node.parentNode) {
        forgotten.add(node);
        texts.delete(node);
        normalizedTexts.delete(node);
        shapes.delete(node);
        linkShares.delete(node);
      }
    }
  };

  /**
   * The shape of `node`'s text content. An element's is joined from its children's, each read
   * from its own `textContent` unless remembered: one level down only, so the texts of a large
   * element are read once and its smaller parts not walked node by node.
   */
  const shapeOf = (node, joined = true) => {
    const { shapes } = memory;
    let shape = shapes.get(node);
    if (shape) return shape;
    if (node.nodeType !== 1) {
      shape = shapeOfText(node.nodeType === 3 || node.nodeType === 4 ? node.data : '');
    } else if (!joined || !node.firstElementChild) {
      shape = shapeOfText(node.textContent);
    } else {
      let collapsed = 0;
      let leading = false;
      let trailing = false;
      let words = false;
      let commas = 0;
      let empty = true;
      for (let child = node.firstChild; child; child = child.nextSibling) {
        const type = child.nodeType;
        if (type !== 1 && type !== 3 && type !== 4) continue;
        const part = shapeOf(child, false);
        if (!part.collapsed) continue;
        if (empty) {
          leading = part.leading;
          collapsed = part.collapsed;
          empty = false;
        } else {
          // White space ending the text so far and starting this part is one run.
          collapsed += part.collapsed - (trailing && part.leading ? 1 : 0);
        }
        trailing = part.trailing;
        words ||= part.words;
        commas += part.commas;
      }
      shape = empty ? EMPTY : { collapsed, leading, trailing, words, commas };
    }
    shapes.set(node, shape);
    return shape;
  };
  /** `reader._getInnerText(node).length`, without the string. */
  const normalizedLength = (node) => {
    current();
    return lengthOf(shapeOf(node));
  };

  const innerText = reader._getInnerText;
  reader._getInnerText = function (node, normalizeSpaces) {
    current();
    const cache = normalizeSpaces === false ? memory.texts : memory.normalizedTexts;
    let text = cache.get(node);
    if (text === undefined) {
      text = innerText.call(this, node, normalizeSpaces);
      cache.set(node, text);
    }
    return text;
  };
  // Readability's link density: the text of the links inside `element` (a `#fragment` link
  // counting 0.3) over all its text, summed in the same order; each link's share remembered.
  const linkShare = (link) => {
    const { linkShares } = memory;
    let share = linkShares.get(link);
    if (share === undefined) {
      const href = link.getAttribute('href');
      const coefficient = href && reader.REGEXPS.hashUrl.test(href) ? 0.3 : 1;
      share = lengthOf(shapeOf(link)) * coefficient;
      linkShares.set(link, share);
    }
    return share;
  };
  // Scoring asks for the link density of every candidate, from single paragraphs up to the
  // page's outermost containers, while the document stands still. The document's links are
  // then listed once in document order with their shares: an element's links are a run of
  // that list (its first link, and as many as it holds), summed in the same order as
  // Readability sums them. The list lasts until the next change anywhere.
  const linksInOrder = (root) => {
    if (linkOrder?.root !== root) {
      const links = root.getElementsByTagName('a');
      const index = new Map();
      const shares = new Array(links.length);
      for (let at = 0; at < links.length; at += 1) {
        index.set(links[at], at);
        shares[at] = linkShare(links[at]);
      }
      linkOrder = { root, index, shares };
    }
    return linkOrder;
  };
  reader._getLinkDensity = function (element) {
    const textLength = normalizedLength(element);
    if (textLength === 0) return 0;
    const links = element.getElementsByTagName('a');
    const count = links.length;
    let linkLength = 0;
    // Listing the document's links pays off when the element holds a good part of them.
    const listed = count >= 32 && watching && element.getRootNode() === doc;
    if (listed && (linkOrder?.root === doc || 4 * count >= doc.getElementsByTagName('a').length)) {
      const { index, shares } = linksInOrder(doc);
      const first = index.get(links[0]);
      for (let at = first; at < first + count; at += 1) linkLength += shares[at];
    } else {
      for (let at = 0; at < count; at += 1) linkLength += linkShare(links[at]);
    }
    return linkLength / textLength;
  };
  reader._getTextDensity = function (element, tags) {
    const textLength = normalizedLength(element);
    if (textLength === 0) return 0;
    let childrenLength = 0;
    for (const child of this._getAllNodesWithTag(element, tags)) childrenLength += normalizedLength(child);
    return childrenLength / textLength;
  };
  const charCount = reader._getCharCount;
  reader._getCharCount = function (element, character) {
    if ((character || ',') !== ',') return charCount.call(this, element, character);
    current();
    return shapeOf(element).commas;
  };

  return {
    observe: (element) => (watching ? changes.observe(element, observed) : createdBefore.push(element)),
    stop: () => changes.disconnect(),
    normalizedLength,
  };
}
