// The query page: YASGUI on our /sparql, saved queries as examples, prefixes declared up front.
(function () {
  'use strict';
  var examples = JSON.parse(document.getElementById('examples').textContent);
  var prefixes = JSON.parse(document.getElementById('prefixes').textContent);
  var prefixLines = Object.keys(prefixes).map(function (prefix) {
    return 'PREFIX ' + prefix + ': <' + prefixes[prefix] + '>';
  }).join('\n');
  var fromUrl = new URLSearchParams(location.search).get('query');
  var initialQuery = fromUrl || prefixLines + '\n\nSELECT ?event ?name ?date WHERE {\n  ?event a schema:Event ; rdfs:label ?name .\n  OPTIONAL { ?event schema:startDate ?date }\n}\nORDER BY ?date\n';

  Yasgui.Yasr.registerPlugin('graph', window.KgGraphPlugin);
  var endpoint = location.origin + '/sparql';
  var yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: { endpoint: endpoint, method: 'POST' },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: initialQuery },
    yasr: { pluginOrder: ['table', 'graph', 'response'], defaultPlugin: 'table' },
  });
  window.kgYasgui = yasgui;

  function run(query) {
    var tab = yasgui.getTab();
    tab.setQuery(query);
    tab.query();
  }
  if (fromUrl) run(fromUrl);

  document.querySelectorAll('button.example').forEach(function (button) {
    button.addEventListener('click', function () {
      var example = examples.find(function (e) { return e.name === button.dataset.name; });
      run(example.query);
    });
  });
})();
