// The graph picture's shapes, written into its SVG in one pass (used by `web::picture_dom`).
//
// Yew rendering 3,000 nodes and 2,000 links (one virtual node, then one DOM call and one string
// decoded from WebAssembly per attribute) took 0.35–1 s; here the numbers arrive as typed arrays
// and the names once each, every element is a clone of a template with its fixed attributes
// already set, and the whole picture is swapped in at once. One element per cluster box, link,
// node and caption: no per-node <title> or <g> (the page shows one shared tooltip on hover).
// Everything is set with setAttribute / textContent: nothing is parsed as markup.

const SVG = 'http://www.w3.org/2000/svg';

function element(name, attributes) {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
  return made;
}

const round = (value) => String(Math.round(value * 10) / 10);

/**
 * Replaces the children of `layer` (an SVG <g>) with the picture.
 *
 * boxes: Float64Array, x y width height per cluster; points: Float64Array, x y per node;
 * nodeNames: Uint32Array, per node the index of its span id, article id and colour in `spans`,
 * `articles` and `colours` (span index = node index); links: Uint32Array, from to type per link
 * (node indices, index into `types`); captions: per node a caption, or an empty array.
 */
export function draw_picture(layer, radius, boxes, points, spans, articles, articleOf, colours, colourOf, links, types, captions) {
  const fragment = document.createDocumentFragment();
  const clusterGroup = element('g', { class: 'picture-clusters', 'aria-hidden': 'true' });
  const box = element('rect', { class: 'picture-cluster', rx: '10' });
  for (let i = 0; i + 3 < boxes.length; i += 4) {
    const made = box.cloneNode(false);
    made.setAttribute('x', round(boxes[i]));
    made.setAttribute('y', round(boxes[i + 1]));
    made.setAttribute('width', round(boxes[i + 2]));
    made.setAttribute('height', round(boxes[i + 3]));
    clusterGroup.append(made);
  }
  const edgeGroup = element('g', { class: 'picture-edges' });
  const lineOfType = types.map((type) =>
    element('line', { 'data-testid': 'graph-edge', class: `picture-edge edge-${type}`, 'data-relation-type': type }),
  );
  for (let i = 0; i + 2 < links.length; i += 3) {
    const [from, to] = [links[i], links[i + 1]];
    const made = lineOfType[links[i + 2]].cloneNode(false);
    made.setAttribute('x1', round(points[2 * from]));
    made.setAttribute('y1', round(points[2 * from + 1]));
    made.setAttribute('x2', round(points[2 * to]));
    made.setAttribute('y2', round(points[2 * to + 1]));
    edgeGroup.append(made);
  }
  const nodeGroup = element('g', { class: 'picture-nodes' });
  const circle = element('circle', { 'data-testid': 'graph-node', class: 'picture-node', r: String(radius) });
  const text = element('text', { class: 'picture-text', 'aria-hidden': 'true' });
  const captionGroup = element('g', { class: 'picture-captions' });
  for (let node = 0; node < spans.length; node++) {
    const [x, y] = [points[2 * node], points[2 * node + 1]];
    const made = circle.cloneNode(false);
    made.setAttribute('cx', round(x));
    made.setAttribute('cy', round(y));
    made.setAttribute('fill', colours[colourOf[node]]);
    made.setAttribute('data-span-id', spans[node]);
    made.setAttribute('data-article-id', articles[articleOf[node]]);
    nodeGroup.append(made);
    if (captions.length > node && captions[node]) {
      const caption = text.cloneNode(false);
      caption.setAttribute('x', round(x + radius + 4));
      caption.setAttribute('y', round(y + 4));
      caption.textContent = captions[node];
      captionGroup.append(caption);
    }
  }
  fragment.append(clusterGroup, edgeGroup, nodeGroup, captionGroup);
  layer.replaceChildren(fragment);
}
