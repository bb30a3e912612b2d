// HTML building blocks shared by every page: escaping, the page frame, links to resources.

import { PREFIXES, ONTOLOGY_IRI } from '../../core/namespaces.ts';
import type { JsonTerm } from '../../engine/select-rows.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A complete page with the site's navigation. */
export function page(title: string, body: Html, head: Html = html``): string {
  return `<!DOCTYPE html>${html`
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · diplomacy-kg</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; line-height: 1.45; color: #1d232a; }
  nav { display: flex; gap: 1.2rem; border-bottom: 1px solid #d5dbe1; padding-bottom: .6rem; margin-bottom: 1rem; }
  nav a { text-decoration: none; font-weight: 600; }
  a { color: #1f5fa8; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
  th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e4e8ec; padding: .35rem .5rem; }
  th { width: 16rem; font-weight: 600; color: #46505a; }
  code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
  pre { background: #f5f7f9; padding: .75rem; overflow-x: auto; }
  blockquote { margin: .25rem 0 .25rem 0; padding-left: .75rem; border-left: 3px solid #c5cdd5; color: #46505a; font-size: .92em; }
  .iri { color: #6b7580; font-size: .9em; word-break: break-all; }
  .types a, .types .iri { margin-right: .6rem; }
  .muted { color: #6b7580; }
</style>
${head}
</head>
<body>
<nav><a href="/">Query</a><a href="/queries">Saved queries</a><a href="/ns">Ontology</a><a href="/sparql">Service description</a><a href="/.well-known/void">VoID</a><a href="/export">Export</a></nav>
${body}
</body>
</html>
`.value}`;
}

/** Where a person should go for `iri`: our page for our resources and terms, the IRI itself otherwise. */
export function hrefOf(iri: string, baseIri: string): string {
  if (iri.startsWith(baseIri)) return `/page/${iri.slice(baseIri.length)}`;
  if (iri === ONTOLOGY_IRI || iri.startsWith(`${ONTOLOGY_IRI}#`)) return `/ns${iri.slice(ONTOLOGY_IRI.length)}`;
  return iri;
}

/** `schema:Event`-style short name, or the IRI. */
export function shortName(iri: string): string {
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (iri.startsWith(namespace) && /^[\w.-]+$/.test(iri.slice(namespace.length))) return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}

/** A link to a term, labelled with its rdfs:label when known; literals shown as text with their tag. */
export function termHtml(term: JsonTerm, labels: Map<string, string>, baseIri: string): Html {
  if (term.type === 'uri') {
    const label = labels.get(term.value);
    return html`<a href="${hrefOf(term.value, baseIri)}">${label ?? shortName(term.value)}</a>${label ? html` <span class="iri">${shortName(term.value)}</span>` : ''}`;
  }
  if (term.type === 'bnode') return html`<span class="muted">_:${term.value}</span>`;
  const tag = term['xml:lang'] ? `@${term['xml:lang']}` : term.datatype && !term.datatype.endsWith('#string') ? shortName(term.datatype) : '';
  return html`${term.value}${tag ? html` <span class="muted">${tag}</span>` : ''}`;
}
