// The graph picture's shapes, written into its SVG (used by `web::picture_dom`).
//
// Yew rendering 3,000 nodes and 2,000 links (one virtual node, then one DOM call and one string
// decoded from WebAssembly per attribute) took 0.35–1 s; here the numbers arrive as typed arrays
// and the names once each, and every element is a clone of a template with its fixed attributes
// already set. One element per cluster box, link, node and caption: no per-node <title> or <g>
// (the page shows one shared tooltip on hover). Everything is set with setAttribute /
// textContent: nothing is parsed as markup.
//
// The clusters in view are drawn at once, the others a batch per frame after that (clusters are
// packed top to bottom, so those in view come first): the picture in view is painted without
// waiting for thousands of elements below it. When the layout worker answers, move_picture moves
// the drawn boxes, nodes and links a slice per frame (and the ones still to draw are drawn at
// their new places).

const SVG = 'http://www.w3.org/2000/svg';
/** Nodes drawn per frame after the first. */
const BATCH_NODES = 400;

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
  const { boxes, points, written, spans, articles, articleOf, colours, colourOf, links, captions, ends, radius, groups, templates } = drawing;
  const end = Math.min(clusterEnd, ends.length / 2);
  const [nodeEnd, linkEnd] = end > 0 ? [ends[2 * end - 2], ends[2 * end - 1]] : [0, 0];
  for (let i = 4 * drawing.drawnClusters; i < 4 * end; i += 4) {
    const made = templates.box.cloneNode(false);
    made.setAttribute('x', round(boxes[i]));
    made.setAttribute('y', round(boxes[i + 1]));
    made.setAttribute('width', round(boxes[i + 2]));
    made.setAttribute('height', round(boxes[i + 3]));
    groups.clusters.append(made);
  }
  for (let link = drawing.drawnLinks; link < linkEnd; link++) {
    const [from, to] = [links[3 * link], links[3 * link + 1]];
    const made = templates.lines[links[3 * link + 2]].cloneNode(false);
    made.setAttribute('x1', round(points[2 * from]));
    made.setAttribute('y1', round(points[2 * from + 1]));
    made.setAttribute('x2', round(points[2 * to]));
    made.setAttribute('y2', round(points[2 * to + 1]));
    groups.edges.append(made);
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

/** The cluster after the last one of a batch of about BATCH_NODES nodes from `drawing.drawnClusters`. */
function batchEnd(drawing) {
  const { ends } = drawing;
  let cluster = drawing.drawnClusters;
  while (cluster < ends.length / 2 && ends[2 * cluster] - drawing.drawnNodes < BATCH_NODES) cluster++;
  return Math.max(cluster, drawing.drawnClusters + 1);
}

/** Marks the picture's <svg> `data-drawn="all"` once every cluster is drawn and moved to its
 *  latest layout, else `"part"` (for tests and `make bench`). */
function markDrawn(layer, drawing) {
  const done = drawing.drawnClusters >= drawing.ends.length / 2 && (!drawing.move || drawing.move.done);
  layer.ownerSVGElement?.setAttribute('data-drawn', done ? 'all' : 'part');
}

/** Runs `job` in a task after the next frame (as `web::schedule::after_next_paint`). */
const afterNextPaint = (job) => requestAnimationFrame(() => setTimeout(job, 1));

/**
 * Replaces the children of `layer` (an SVG <g>) with the picture: the first `firstClusters`
 * clusters at once, the others a batch per frame after.
 *
 * boxes: Float64Array, x y width height per cluster; points: Float64Array, x y per node;
 * spans/articleOf/colourOf: per node its span id, and the index of its article id and colour in
 * `articles` and `colours`; links: Uint32Array, from to type per link (node indices, index into
 * `types`); captions: per node a caption, or an empty array; ends: Uint32Array, per cluster the
 * number of nodes and links up to and including it (nodes and links are in cluster order).
 * The typed arrays are views of WebAssembly memory: they are copied.
 */
export function draw_picture(layer, radius, boxes, points, spans, articles, articleOf, colours, colourOf, links, types, captions, ends, firstClusters) {
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
    spans,
    articles,
    colours,
    captions,
    radius,
    groups,
    templates,
    drawnClusters: 0,
    drawnNodes: 0,
    drawnLinks: 0,
  };
  drawUpTo(drawing, firstClusters);
  const fragment = document.createDocumentFragment();
  fragment.append(groups.clusters, groups.edges, groups.nodes, groups.captions);
  layer.replaceChildren(fragment);
  drawings.set(layer, drawing);
  markDrawn(layer, drawing);
  const more = () => {
    if (drawings.get(layer) !== drawing || drawing.drawnClusters >= drawing.ends.length / 2) return;
    drawUpTo(drawing, batchEnd(drawing));
    markDrawn(layer, drawing);
    afterNextPaint(more);
  };
  afterNextPaint(more);
}

/** Nodes (with their links and cluster boxes) moved per frame when the layout worker answers. */
const MOVE_NODES = 600;

/** Writes `value` to attribute `name` of `made` unless it holds it already. */
function setChanged(made, name, value) {
  if (made.getAttribute(name) !== value) made.setAttribute(name, value);
}

/** Moves the drawn clusters `from`..`to` (exclusive) of `drawing` to its points and boxes. */
function moveClusters(drawing, from, to) {
  const { ends, links, points, boxes, written } = drawing;
  const rects = drawing.groups.clusters.children;
  const nodes = drawing.groups.nodes.children;
  const edges = drawing.groups.edges.children;
  const end = Math.min(to, drawing.drawnClusters);
  for (let cluster = from; cluster < end; cluster++) {
    const rect = rects[cluster];
    setChanged(rect, 'x', round(boxes[4 * cluster]));
    setChanged(rect, 'y', round(boxes[4 * cluster + 1]));
    setChanged(rect, 'width', round(boxes[4 * cluster + 2]));
    setChanged(rect, 'height', round(boxes[4 * cluster + 3]));
  }
  const [nodeStart, linkStart] = from > 0 ? [ends[2 * from - 2], ends[2 * from - 1]] : [0, 0];
  const [nodeEnd, linkEnd] = end > 0 ? [ends[2 * end - 2], ends[2 * end - 1]] : [0, 0];
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
}

/**
 * Moves the picture's nodes to `points` (x y per node, in drawing order), its links with them
 * and its cluster boxes to `boxes` (x y width height per cluster): the drawn ones a slice of
 * about MOVE_NODES nodes per frame (the first slice at once; moving all 3,055 nodes of the
 * benchmark in one task made a 200–400 ms frame), those still to draw are drawn there. Returns
 * false, changing nothing, when the layer's picture has another number of nodes or clusters.
 */
export function move_picture(layer, points, boxes) {
  const drawing = drawings.get(layer);
  if (!drawing || drawing.points.length !== points.length || drawing.boxes.length !== boxes.length) return false;
  drawing.points = Float64Array.from(points);
  drawing.boxes = Float64Array.from(boxes);
  const move = { next: 0, done: false };
  drawing.move = move;
  const clusters = drawing.ends.length / 2;
  const slice = () => {
    if (drawings.get(layer) !== drawing || drawing.move !== move) return;
    const from = move.next;
    let to = from + 1;
    const first = from > 0 ? drawing.ends[2 * from - 2] : 0;
    while (to < clusters && drawing.ends[2 * to] - first < MOVE_NODES) to++;
    moveClusters(drawing, from, to);
    move.next = to;
    move.done = to >= Math.min(clusters, drawing.drawnClusters);
    markDrawn(layer, drawing);
    if (!move.done) afterNextPaint(slice);
  };
  slice();
  return true;
}
