// Draws the actor network of a page with Cytoscape.js from the JSON in #network-data; selecting a
// node (click, tap, or Enter on the focused diagram) opens its page. The table beside it holds
// the same links for keyboards and screen readers, and without JavaScript.
(function () {
  const container = document.getElementById('network-graph');
  const source = document.getElementById('network-data');
  if (!container || !source || typeof cytoscape !== 'function') return;
  const data = JSON.parse(source.textContent);
  const cy = cytoscape({
    container,
    elements: [
      ...data.nodes.map((node) => ({ data: { id: node.id, label: node.label, href: node.href, focus: node.focus ? 'yes' : 'no' } })),
      ...data.edges.map((edge, i) => ({ data: { id: `e${i}`, source: edge.source, target: edge.target, label: edge.label } })),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'text-wrap': 'wrap', 'text-max-width': 120, 'background-color': '#1f5fa8', width: 14, height: 14 } },
      { selector: 'node[focus = "yes"]', style: { 'background-color': '#c0392b', width: 22, height: 22 } },
      { selector: 'edge', style: { label: 'data(label)', 'font-size': 7, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 1, 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1', color: '#46505a' } },
    ],
    layout: { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 80000, idealEdgeLength: () => 90 },
    wheelSensitivity: 0.2,
  });
  cy.on('tap', 'node', (event) => { window.location.href = event.target.data('href'); });
  container.tabIndex = 0;
  container.addEventListener('keydown', (event) => {
    const focus = cy.nodes('[focus = "yes"]');
    if (event.key === 'Enter' && focus.length > 0) window.location.href = focus.data('href');
  });
  // For tests and for people scripting the page: the drawn graph.
  window.kgNetwork = cy;
  container.dataset.rendered = String(cy.edges().length);
})();
