// Type declarations for libraries used by the tests that ship none.

declare module 'rdf-canonize' {
  export function canonize(input: string, options: { algorithm: string; inputFormat?: string; format?: string }): Promise<unknown>;
}
