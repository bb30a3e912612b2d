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

/**
 * The Content-Security-Policy of every HTML page: scripts, styles and everything else only from
 * this origin, no inline script or style, no plugins, no framing, no base or form elsewhere.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A complete page with the site's navigation (its styles in /ui/site.css: no inline style under the CSP). */
export function page(title: string, body: Html, head: Html = html``): string {
  return `<!DOCTYPE html>${html`
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · diplomacy-kg</title>
<link rel="stylesheet" href="/ui/site.css">
${head}
</head>
<body>
<nav aria-label="Site"><a href="/">Query</a><a href="/queries">Saved queries</a><a href="/timeline">Timeline</a><a href="/network">Network</a><a href="/ns">Ontology</a><a href="/sparql">Service description</a><a href="/.well-known/void">VoID</a><a href="/export">Export</a></nav>
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
/** The last segment of an IRI, after its final `#` or `/`: a property's name when it has no label. */
export function localName(iri: string): string {
  return iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1);
}

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
