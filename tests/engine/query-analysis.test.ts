// The linear pre-scan of queries: form, nesting depth, SERVICE endpoints and the top-level LIMIT.
import { describe, expect, it } from 'vitest';
import { analyzeQuery, moreSolutionsProbe, queryForm, withLimit, withSolutionMarker } from '../../src/engine/query-analysis.ts';

describe('the form of a query', () => {
  it.each([
    ['SELECT * WHERE { ?s ?p ?o }', 'SELECT'],
    ['PREFIX ask: <http://example.org/> SELECT * WHERE { ?s ask:p ?o }', 'SELECT'],
    ['# SELECT in a comment\nASK { }', 'ASK'],
    ['BASE <http://example.org/> CONSTRUCT WHERE { ?s ?p ?o }', 'CONSTRUCT'],
    ['DESCRIBE <http://example.org/x>', 'DESCRIBE'],
    ['INSERT DATA { <urn:a> <urn:b> "SELECT" }', 'UPDATE'],
    ['WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }', 'UPDATE'],
    ['"SELECT" nonsense', undefined],
  ])('%s is %s', (query, form) => {
    expect(queryForm(query)).toBe(form);
  });
});

describe('the nesting depth', () => {
  it('counts braces, parentheses and brackets together', () => {
    expect(analyzeQuery('SELECT * WHERE { { ?s ?p [ ?q (1 2) ] } FILTER (( 1 )) }').depth).toBe(4);
  });

  it('ignores brackets in strings, IRIs and comments', () => {
    expect(analyzeQuery('SELECT * WHERE { ?s ?p "{{{((" # {{{{\n FILTER(?s != <urn:x>) }').depth).toBe(2);
  });

  it('measures 30,000 nested groups in one pass', () => {
    const deep = `SELECT * WHERE ${'{'.repeat(30_000)}${'}'.repeat(30_000)}`;
    expect(analyzeQuery(deep).depth).toBe(30_000);
  });
});

describe('SERVICE endpoints', () => {
  it('finds IRIs, SILENT, prefixed names and relative IRIs against BASE', () => {
    const query = `BASE <http://example.org/base/>
      PREFIX ex: <http://example.org/>
      SELECT * WHERE {
        SERVICE <http://a.example/sparql> { ?s ?p ?o }
        SERVICE SILENT ex:sparql { ?s ?p ?o }
        SERVICE <relative> { ?s ?p ?o }
      }`;
    expect(analyzeQuery(query).services).toEqual([
      { endpoint: 'http://a.example/sparql', silent: false },
      { endpoint: 'http://example.org/sparql', silent: true },
      { endpoint: 'http://example.org/base/relative', silent: false },
    ]);
  });

  it('decodes code point escapes, so an escaped IRI is checked as what it means', () => {
    expect(analyzeQuery('SELECT * WHERE { SERVICE <http://x.invalid/\\u0073parql> { ?s ?p ?o } }').services)
      .toEqual([{ endpoint: 'http://x.invalid/sparql', silent: false }]);
  });

  it('ignores the word in strings and comments, and tells "<" the operator from an IRI', () => {
    const query = 'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" # SERVICE <http://y/>\n FILTER (?a < ?b && ?c > 3) }';
    expect(analyzeQuery(query).services).toEqual([]);
  });

  it('refuses a variable endpoint with 400', () => {
    expect(() => analyzeQuery('SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }')).toThrow('SERVICE with a variable endpoint is not supported: name the endpoint');
  });
});

describe('the top-level LIMIT', () => {
  it('is added at the end when missing', () => {
    const query = 'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s';
    expect(withLimit(query, analyzeQuery(query), 11)).toBe('SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\nLIMIT 11\n');
  });

  it('is added before a top-level VALUES block, not after it', () => {
    const query = 'SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }';
    expect(withLimit(query, analyzeQuery(query), 11)).toBe('SELECT * WHERE { ?s ?p ?o } \nLIMIT 11\nVALUES ?s { <urn:a> }');
  });

  it('is lowered when larger, kept when smaller, and a subquery LIMIT is not the top-level one', () => {
    const larger = 'SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } } LIMIT 1000';
    expect(withLimit(larger, analyzeQuery(larger), 11)).toBe('SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } } LIMIT 11');
    const smaller = 'SELECT * WHERE { ?s ?p ?o } LIMIT 3 # comment';
    expect(withLimit(smaller, analyzeQuery(smaller), 11)).toBe(smaller);
    const onlyInner = 'SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }';
    expect(analyzeQuery(onlyInner).limit).toBeUndefined();
  });

  it('is added on a new line, so a trailing comment cannot swallow it', () => {
    const query = 'SELECT * WHERE { ?s ?p ?o } # the end';
    expect(withLimit(query, analyzeQuery(query), 2)).toBe('SELECT * WHERE { ?s ?p ?o } # the end\nLIMIT 2\n');
  });
});

describe('the probe for more solutions than a graph result may have', () => {
  it('turns a CONSTRUCT into a SELECT of its WHERE clause, one solution past the limit', () => {
    const query = 'PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:p ?o } WHERE { ?s ?p ?o } ORDER BY ?s';
    expect(moreSolutionsProbe(query, analyzeQuery(query), 100)).toBe('PREFIX ex: <http://example.org/> SELECT *  WHERE { ?s ?p ?o } ORDER BY ?s\nOFFSET 100\n\nLIMIT 1\n');
  });

  it('keeps the window of an OFFSET and replaces a LIMIT', () => {
    const query = 'CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5000 OFFSET 20';
    expect(moreSolutionsProbe(query, analyzeQuery(query), 100)).toBe('SELECT * WHERE { ?s ?p ?o } LIMIT 1 OFFSET 120');
  });

  it('turns a DESCRIBE with a WHERE clause into a SELECT, and has none for a DESCRIBE of IRIs alone', () => {
    const query = 'DESCRIBE ?s WHERE { ?s a ?c }';
    expect(moreSolutionsProbe(query, analyzeQuery(query), 10)).toBe('SELECT * WHERE { ?s a ?c }\nOFFSET 10\n\nLIMIT 1\n');
    const iris = 'DESCRIBE <http://example.org/a>';
    expect(moreSolutionsProbe(iris, analyzeQuery(iris), 10)).toBeUndefined();
  });
});

describe('the solution marker of a CONSTRUCT', () => {
  const marker = 'urn:x-marker';
  const mark = (query: string) => withSolutionMarker(query, analyzeQuery(query), marker);

  it('adds one template triple with a blank node, first in the template', () => {
    expect(mark('CONSTRUCT { ?s <urn:p> ?o } WHERE { ?s ?p ?o } LIMIT 11')).toBe('CONSTRUCT { _:kgSolutionMarker <urn:x-marker> true . ?s <urn:p> ?o } WHERE { ?s ?p ?o } LIMIT 11');
    expect(mark('CONSTRUCT { ?s <urn:p> ?o . } WHERE { ?s ?p ?o }')).toBe('CONSTRUCT { _:kgSolutionMarker <urn:x-marker> true . ?s <urn:p> ?o . } WHERE { ?s ?p ?o }');
    expect(mark('CONSTRUCT {} WHERE { ?s ?p ?o }')).toBe('CONSTRUCT { _:kgSolutionMarker <urn:x-marker> true .} WHERE { ?s ?p ?o }');
  });

  it('writes out a CONSTRUCT WHERE with its pattern as its template, past dataset clauses and comments', () => {
    expect(mark('CONSTRUCT WHERE { ?s ?p ?o } LIMIT 11')).toBe('CONSTRUCT { _:kgSolutionMarker <urn:x-marker> true . ?s ?p ?o \n}  WHERE { ?s ?p ?o } LIMIT 11');
    const commented = 'construct from <urn:g> where { ?s ?p "}" # a } in a comment\n}';
    expect(mark(commented)).toBe('construct { _:kgSolutionMarker <urn:x-marker> true . ?s ?p "}" # a } in a comment\n\n}  from <urn:g> where { ?s ?p "}" # a } in a comment\n}');
  });

  it('has nothing for DESCRIBE (no template) or an unclosed template', () => {
    expect(mark('DESCRIBE ?s WHERE { ?s ?p ?o }')).toBeUndefined();
    expect(mark('CONSTRUCT WHERE { ?s ?p ?o')).toBeUndefined();
    expect(mark('CONSTRUCT { ?s ?p ?o WHERE { ?s ?p ?o }')).toBeUndefined();
  });
});
