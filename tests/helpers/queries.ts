// Queries the isolation and hardening tests share.

/** 1205^3 ≈ 1.7 billion solutions to count: minutes of work, far beyond any timeout of the tests. */
export const RUNAWAY = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';

/** A light query with one known answer: the name of the one person in the graph. */
export const LIGHT = 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }';
