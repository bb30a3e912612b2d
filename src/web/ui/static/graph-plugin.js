// A YASR plugin that draws CONSTRUCT and DESCRIBE results as a node-link diagram (SVG, no library):
// resources and literals are nodes, triples are labelled edges, laid out by a small force simulation.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var MAX_TRIPLES = 300;

  function shortName(value, prefixes) {
    for (var prefix in prefixes) {
      if (value.indexOf(prefixes[prefix]) === 0) return prefix + ':' + value.slice(prefixes[prefix].length);
    }
    var cut = Math.max(value.lastIndexOf('/'), value.lastIndexOf('#'));
    return cut >= 0 && cut < value.length - 1 ? value.slice(cut + 1) : value;
  }

  function layout(nodes, edges, width, height) {
    nodes.forEach(function (node, i) {
      var angle = (2 * Math.PI * i) / nodes.length;
      node.x = width / 2 + (width / 3) * Math.cos(angle);
      node.y = height / 2 + (height / 3) * Math.sin(angle);
    });
    for (var step = 0; step < 300; step++) {
      var heat = 1 - step / 300;
      for (var a = 0; a < nodes.length; a++) {
        for (var b = a + 1; b < nodes.length; b++) {
          var dx = nodes[a].x - nodes[b].x, dy = nodes[a].y - nodes[b].y;
          var d2 = Math.max(dx * dx + dy * dy, 25), push = (2500 / d2) * heat;
          nodes[a].x += dx * push / 10; nodes[a].y += dy * push / 10;
          nodes[b].x -= dx * push / 10; nodes[b].y -= dy * push / 10;
        }
      }
      edges.forEach(function (edge) {
        var dx = edge.target.x - edge.source.x, dy = edge.target.y - edge.source.y;
        var pull = 0.02 * heat;
        edge.source.x += dx * pull; edge.source.y += dy * pull;
        edge.target.x -= dx * pull; edge.target.y -= dy * pull;
      });
      nodes.forEach(function (node) {
        node.x = Math.min(width - 40, Math.max(40, node.x));
        node.y = Math.min(height - 20, Math.max(20, node.y));
      });
    }
  }

  function element(name, attributes, text) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { el.setAttribute(key, attributes[key]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function GraphPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = 'Graph';
  }
  GraphPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!results && !results.hasError() && results.getType() === 'ttl';
  };
  GraphPlugin.prototype.getIcon = function () {
    var icon = document.createElement('span');
    icon.textContent = '◎';
    return icon;
  };
  GraphPlugin.prototype.draw = function () {
    var prefixes = JSON.parse(document.getElementById('prefixes').textContent);
    var quads = this.yasr.results.getStatements().slice(0, MAX_TRIPLES);
    var labels = {};
    quads.forEach(function (q) {
      if (q.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#label') labels[q.subject.value] = q.object.value;
    });
    var nodes = [], byKey = {}, edges = [];
    function node(term) {
      var key = term.termType + ' ' + term.value;
      if (!byKey[key]) {
        var text = term.termType === 'Literal' ? '"' + term.value + '"' : labels[term.value] || shortName(term.value, prefixes);
        byKey[key] = { text: text.length > 40 ? text.slice(0, 37) + '…' : text, literal: term.termType === 'Literal' };
        nodes.push(byKey[key]);
      }
      return byKey[key];
    }
    quads.forEach(function (q) {
      if (q.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#label') return;
      edges.push({ source: node(q.subject), target: node(q.object), label: shortName(q.predicate.value, prefixes) });
    });
    var width = Math.max(this.yasr.resultsEl.clientWidth || 900, 600), height = 560;
    layout(nodes, edges, width, height);
    var container = document.createElement('div');
    container.className = 'kg-graph';
    var svg = element('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'graph of ' + edges.length + ' triples' });
    edges.forEach(function (edge) {
      svg.appendChild(element('line', { x1: edge.source.x, y1: edge.source.y, x2: edge.target.x, y2: edge.target.y, stroke: '#b5c0cb' }));
      svg.appendChild(element('text', { x: (edge.source.x + edge.target.x) / 2, y: (edge.source.y + edge.target.y) / 2, 'class': 'edge-label', 'text-anchor': 'middle' }, edge.label));
    });
    nodes.forEach(function (n) {
      svg.appendChild(element('circle', { cx: n.x, cy: n.y, r: n.literal ? 4 : 7, fill: n.literal ? '#e0a84f' : '#1f5fa8' }));
      svg.appendChild(element('text', { x: n.x + 9, y: n.y + 4, 'class': 'node-label' }, n.text));
    });
    container.appendChild(svg);
    this.yasr.resultsEl.appendChild(container);
  };
  window.KgGraphPlugin = GraphPlugin;
})();
