// Type declarations for the RDF/JS libraries that ship none: only the parts we call.

declare module 'rdf-ext' {
  import type * as RDF from '@rdfjs/types';
  interface RdfExt extends RDF.DataFactory {
    dataset(quads?: Iterable<RDF.Quad>): RDF.DatasetCore;
  }
  const rdf: RdfExt;
  export default rdf;
}

declare module 'shacl-engine' {
  import type * as RDF from '@rdfjs/types';

  export interface ValidationResult {
    focusNode: { term: RDF.Term };
    path?: Array<{ predicates: RDF.Term[] }> | null;
    severity: RDF.NamedNode;
    message: RDF.Literal[];
    value?: { term: RDF.Term } | null;
    shape: { ptr: { term: RDF.Term } };
  }

  export interface ValidationReport {
    conforms: boolean;
    results: ValidationResult[];
  }

  export class Validator {
    constructor(shapes: RDF.DatasetCore, options: { factory: unknown; details?: boolean });
    validate(data: { dataset: RDF.DatasetCore }): Promise<ValidationReport>;
  }
}

declare module 'rdf-validation' {
  import type * as RDF from '@rdfjs/types';

  /** The XML Schema datatypes' lexical checks shacl-engine applies with sh:datatype. */
  export class XsdValidation {
    /** By datatype: a TermMap of the datatypes it has a check for. */
    validations: { has(datatype: RDF.Term): boolean };
    validateSimple(term: RDF.Term): boolean;
  }
}
