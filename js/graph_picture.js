// The graph picture's shapes, written into its SVG (used by `web::picture_dom`).
//
// Yew rendering 3,000 nodes and 2,000 links (one virtual node, then one DOM call and one string
// decoded from WebAssembly per attribute) took 0.35–1 s; here the numbers arrive as typed arrays
// and the names once each, and every element is a clone of a template with its fixed attributes
// already set. One element per cluster box, link, node and caption: no per-node <title> or <g>
// (the page shows one shared tooltip on hover). Everything is set with setAttribute /
// textContent: nothing is parsed as markup.
//
// The clusters in view are drawn at once, the others in a few steps, a frame each, after that
// (clusters are packed top to bottom, so those in view come first): the picture in view is
// painted without waiting for thousands of elements below it. When the layout worker answers,
// move_picture moves the drawn boxes, nodes and links in steps as well (and the ones still to
// draw are drawn at their new places). See REST_STEPS for why few large steps (pump).

const SVG = 'http://www.w3.org/2000/svg';

function element(name, attributes) {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
  return made;
}

const round = (value) => String(Math.round(value * 10) / 10);

/** What each layer is drawing: its data, groups, templates and how far it got. */
const drawings = new WeakMap();

/** Draws clusters up to `clusterEnd` (exclusive) of `drawing`, from where it stopped. */
function drawUpTo(drawing, clusterEnd) {
  const { boxes, points, written, spans, articles, articleOf, colours, colourOf, links, captions, ends, radius, groups, templates, drawn } = drawing;
  const end = Math.min(clusterEnd, ends.length / 2);
  const [nodeEnd, linkEnd] = end > 0 ? [ends[2 * end - 2], ends[2 * end - 1]] : [0, 0];
  for (let i = 4 * drawing.drawnClusters; i < 4 * end; i += 4) {
    const made = templates.box.cloneNode(false);
    made.setAttribute('x', round(boxes[i]));
    made.setAttribute('y', round(boxes[i + 1]));
    made.setAttribute('width', round(boxes[i + 2]));
    made.setAttribute('height', round(boxes[i + 3]));
    groups.clusters.append(made);
    drawn.boxes.push(made);
  }
  for (let link = drawing.drawnLinks; link < linkEnd; link++) {
    const [from, to] = [links[3 * link], links[3 * link + 1]];
    const made = templates.lines[links[3 * link + 2]].cloneNode(false);
    made.setAttribute('x1', round(points[2 * from]));
    made.setAttribute('y1', round(points[2 * from + 1]));
    made.setAttribute('x2', round(points[2 * to]));
    made.setAttribute('y2', round(points[2 * to + 1]));
    groups.edges.append(made);
    drawn.links.push(made);
  }
  for (let node = drawing.drawnNodes; node < nodeEnd; node++) {
    const [x, y] = [points[2 * node], points[2 * node + 1]];
    written[2 * node] = x;
    written[2 * node + 1] = y;
    const made = templates.circle.cloneNode(false);
    made.setAttribute('cx', round(x));
    made.setAttribute('cy', round(y));
    made.setAttribute('fill', colours[colourOf[node]]);
    made.setAttribute('data-span-id', spans[node]);
    made.setAttribute('data-article-id', articles[articleOf[node]]);
    groups.nodes.append(made);
    drawn.nodes.push(made);
    if (captions.length > node && captions[node]) {
      const caption = templates.text.cloneNode(false);
      caption.setAttribute('x', round(x + radius + 4));
      caption.setAttribute('y', round(y + 4));
      caption.textContent = captions[node];
      groups.captions.append(caption);
    }
  }
  drawing.drawnClusters = Math.max(drawing.drawnClusters, end);
  drawing.drawnNodes = Math.max(drawing.drawnNodes, nodeEnd);
  drawing.drawnLinks = Math.max(drawing.drawnLinks, linkEnd);
}

/** How many clusters `drawing` has. */
const clusterCount = (drawing) => drawing.ends.length / 2;

/** Nodes plus links up to cluster `end` (exclusive): what drawing or moving them writes. */
function elementsBefore(drawing, end) {
  return end > 0 ? drawing.ends[2 * end - 2] + drawing.ends[2 * end - 1] : 0;
}

/** Draws the next clusters of `drawing`, about `budget` nodes and links (at least one cluster);
 *  returns how many it drew. */
function drawSome(drawing, budget) {
  const from = drawing.drawnClusters;
  const first = elementsBefore(drawing, from);
  let end = from + 1;
  while (end < clusterCount(drawing) && elementsBefore(drawing, end + 1) - first <= budget) end++;
  drawUpTo(drawing, end);
  return elementsBefore(drawing, end) - first;
}

/** Marks the picture's <svg> `data-drawn="all"` once every cluster is drawn and moved to its
 *  latest layout, else `"part"` (for tests and `make bench`). */
function markDrawn(layer, drawing) {
  layer.ownerSVGElement?.setAttribute('data-drawn', work(drawing) ? 'part' : 'all');
}

/** Whether `drawing` has clusters to draw or drawn ones to move. */
const work = (drawing) => drawing.drawnClusters < clusterCount(drawing) || (drawing.move && !drawing.move.done);

/** The script per frame after the first (ms) for the first move step (move_picture): as many
 *  nodes and links as fit it at the cost per element measured so far. */
const STEP_SCRIPT_MS = 6;
/** The first guess of one node's or link's script (ms), before a step has measured it. */
const FIRST_COST_MS = 0.05;
/** The frames the picture's rest is drawn (or moved) in after the clusters in view. Each frame
 *  that adds shapes repaints the whole picture's layer (Paint and Layerize grew from 7 to 20 ms
 *  with the shapes drawn, whatever the step added), so the number of frames, not their script,
 *  set the time to every node drawn: in steps of 6 ms of script it was about 18 frames of 20-28
 *  ms (555 ms click to every node on an idle machine, 1,490 ms at load 3.4; in 3 steps 1,020 ms
 *  at load 5.7, the longest frame growing from 100 to 220 ms there). */
const REST_STEPS = 3;

/** Runs `job` in a task after the next frame has been rendered (as
 *  `web::schedule::after_next_paint`). */
function afterNextPaint(job) {
  requestAnimationFrame(() => setTimeout(job, 1));
}

/**
 * Draws and moves what is left of `drawing` a step per frame until nothing is (the clusters not
 * drawn yet, the drawn ones not at the latest layout), each step a REST_STEPS-th of the
 * picture's nodes and links. Moving goes first, then drawing, out of one budget.
 */
function pump(layer, drawing) {
  if (drawing.pumping) return;
  drawing.pumping = true;
  const step = () => {
    if (drawings.get(layer) !== drawing) return;
    if (!work(drawing)) {
      drawing.pumping = false;
      return;
    }
    const started = performance.now();
    const budget = Math.max(8, Math.ceil(elementsBefore(drawing, clusterCount(drawing)) / REST_STEPS));
    let left = budget;
    if (drawing.move && !drawing.move.done) left = moveSome(drawing, drawing.move, left);
    if (left > 0 && drawing.drawnClusters < clusterCount(drawing)) left -= drawSome(drawing, left);
    learnCost(drawing, budget - left, performance.now() - started);
    markDrawn(layer, drawing);
    afterNextPaint(step);
  };
  afterNextPaint(step);
}

/** Takes `elements` written in `ms` of script into `drawing.cost`: up at once, down gently (one
 *  cheap step does not double the next). */
function learnCost(drawing, elements, ms) {
  if (elements <= 0) return;
  const measured = ms / elements;
  drawing.cost = measured > drawing.cost ? measured : 0.7 * drawing.cost + 0.3 * measured;
}

/**
 * Replaces the children of `layer` (an SVG <g>) with the picture: the first `firstClusters`
 * clusters at once, the others in a few steps, a frame each, after (pump).
 *
 * boxes: Float64Array, x y width height per cluster; points: Float64Array, x y per node;
 * spansJson: the nodes' span ids, a JSON array (one string crosses from WebAssembly, not one
 * per node); articleOf/colourOf: per node the index of its article id and colour in `articles`
 * and `colours`; links: Uint32Array, from to type per link (node indices, index into
 * `types`); captions: per node a caption, or an empty array; ends: Uint32Array, per cluster the
 * number of nodes and links up to and including it (nodes and links are in cluster order).
 * The typed arrays are views of WebAssembly memory: they are copied.
 */
export function draw_picture(layer, radius, boxes, points, spansJson, articles, articleOf, colours, colourOf, links, types, captions, ends, firstClusters) {
  const groups = {
    clusters: element('g', { class: 'picture-clusters', 'aria-hidden': 'true' }),
    edges: element('g', { class: 'picture-edges' }),
    nodes: element('g', { class: 'picture-nodes' }),
    captions: element('g', { class: 'picture-captions' }),
  };
  const templates = {
    box: element('rect', { class: 'picture-cluster', rx: '10' }),
    lines: types.map((type) => element('line', { 'data-testid': 'graph-edge', class: `picture-edge edge-${type}`, 'data-relation-type': type })),
    circle: element('circle', { 'data-testid': 'graph-node', class: 'picture-node', r: String(radius) }),
    text: element('text', { class: 'picture-text', 'aria-hidden': 'true' }),
  };
  const drawing = {
    boxes: Float64Array.from(boxes),
    points: Float64Array.from(points),
    // Where the drawn nodes stand (x y per node; pictures moved are uncaptioned).
    written: new Float64Array(points.length),
    articleOf: Uint32Array.from(articleOf),
    colourOf: Uint32Array.from(colourOf),
    links: Uint32Array.from(links),
    ends: Uint32Array.from(ends),
    spans: JSON.parse(spansJson),
    articles,
    colours,
    captions,
    radius,
    groups,
    templates,
    // The drawn boxes, links and nodes, in order (moveSome).
    drawn: { boxes: [], links: [], nodes: [] },
    drawnClusters: 0,
    drawnNodes: 0,
    drawnLinks: 0,
    // The script one node or link costs to draw or move (ms), as measured (see pump).
    cost: FIRST_COST_MS,
    // The move to a new layout under way (move_picture).
    move: null,
    pumping: false,
  };
  drawUpTo(drawing, firstClusters);
  const fragment = document.createDocumentFragment();
  fragment.append(groups.clusters, groups.edges, groups.nodes, groups.captions);
  layer.replaceChildren(fragment);
  drawings.set(layer, drawing);
  markDrawn(layer, drawing);
  pump(layer, drawing);
}

/** Writes `value` to attribute `name` of `made` unless it holds it already. */
function setChanged(made, name, value) {
  if (made.getAttribute(name) !== value) made.setAttribute(name, value);
}

/**
 * Moves the drawn boxes, nodes and links of `drawing` to its points and boxes from where `move`
 * stopped, whole clusters (its box, nodes and links together, so every node stays in its box),
 * about `budget` elements and at least one cluster; returns the budget left.
 */
function moveSome(drawing, move, budget) {
  const { ends, links, points, boxes, written } = drawing;
  const { boxes: rects, nodes, links: edges } = drawing.drawn;
  do {
    if (move.cluster >= drawing.drawnClusters) break;
    const cluster = move.cluster;
    const rect = rects[cluster];
    setChanged(rect, 'x', round(boxes[4 * cluster]));
    setChanged(rect, 'y', round(boxes[4 * cluster + 1]));
    setChanged(rect, 'width', round(boxes[4 * cluster + 2]));
    setChanged(rect, 'height', round(boxes[4 * cluster + 3]));
    const [nodeStart, linkStart] = cluster > 0 ? [ends[2 * cluster - 2], ends[2 * cluster - 1]] : [0, 0];
    const [nodeEnd, linkEnd] = [ends[2 * cluster], ends[2 * cluster + 1]];
    for (let node = nodeStart; node < nodeEnd; node++) {
      const [x, y] = [points[2 * node], points[2 * node + 1]];
      if (written[2 * node] === x && written[2 * node + 1] === y) continue;
      written[2 * node] = x;
      written[2 * node + 1] = y;
      nodes[node].setAttribute('cx', round(x));
      nodes[node].setAttribute('cy', round(y));
    }
    for (let link = linkStart; link < linkEnd; link++) {
      const [from, to] = [links[3 * link], links[3 * link + 1]];
      const line = edges[link];
      setChanged(line, 'x1', round(points[2 * from]));
      setChanged(line, 'y1', round(points[2 * from + 1]));
      setChanged(line, 'x2', round(points[2 * to]));
      setChanged(line, 'y2', round(points[2 * to + 1]));
    }
    budget -= 1 + nodeEnd - nodeStart + linkEnd - linkStart;
    move.cluster++;
  } while (budget > 0);
  move.done = move.cluster >= drawing.drawnClusters;
  return budget;
}

/**
 * Moves the picture's nodes to `points` (x y per node, in drawing order), its links with them
 * and its cluster boxes to `boxes` (x y width height per cluster): the drawn ones a step per
 * frame within the step budget (pump; the first step at once), those still to draw are drawn
 * there. Returns false, changing nothing, when the layer's picture has another number of nodes
 * or clusters.
 */
export function move_picture(layer, points, boxes) {
  const drawing = drawings.get(layer);
  if (!drawing || drawing.points.length !== points.length || drawing.boxes.length !== boxes.length) return false;
  drawing.points = Float64Array.from(points);
  drawing.boxes = Float64Array.from(boxes);
  drawing.move = { cluster: 0, done: false };
  const started = performance.now();
  const budget = Math.max(8, Math.floor(STEP_SCRIPT_MS / drawing.cost));
  learnCost(drawing, budget - moveSome(drawing, drawing.move, budget), performance.now() - started);
  markDrawn(layer, drawing);
  pump(layer, drawing);
  return true;
}
