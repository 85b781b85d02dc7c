// Renders the benchmark article and its annotations with @recogito/text-annotator (window.RecogitoJS,
// from the UMD bundle). See text-annotator.html; tests/e2e/bench.mjs drives it.
/* global RecogitoJS */
(() => {
  const COLORS = { claim: '#f2b233', quote: '#3fa7d6', speaker: '#a77bdb' };
  const raw = localStorage.getItem('bench.text-annotator');
  if (!raw) {
    document.getElementById('title').textContent = 'No benchmark data in localStorage';
    return;
  }
  const data = JSON.parse(raw);
  document.getElementById('title').textContent = data.title;
  const content = document.getElementById('content');
  const fragment = document.createDocumentFragment();
  for (const text of data.paragraphs) {
    const paragraph = document.createElement('p');
    paragraph.textContent = text;
    fragment.appendChild(paragraph);
  }
  content.appendChild(fragment);
  const label = (annotation) => annotation.bodies?.[0]?.value;
  const anno = RecogitoJS.createTextAnnotator(content, {
    style: (annotation) => ({ fill: COLORS[label(annotation)] || '#888888', fillOpacity: 0.28 }),
  });
  anno.setAnnotations(data.annotations);
  window.benchAnnotator = anno;
  window.benchData = data;
})();
