// Splits a source text into sentences with NIF character offsets (Unicode code points).

/** One sentence of a source text, with offsets as NIF counts them: code points, end exclusive. */
export interface Sentence {
  index: number;
  text: string;
  beginIndex: number;
  endIndex: number;
}

// A sentence ends at ., ! or ? followed by white space and a capital letter or digit, or at a
// paragraph break (one or more blank lines, or a single line break after a title line).
const SENTENCE_END = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}])|\n+/gu;

/**
 * Splits `text` into sentences. The title line counts as a sentence of its own.
 * Offsets count code points, not UTF-16 units, so that they match NIF 2.0 and other tools.
 */
export function segmentSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed.length > 0) {
      const leading = raw.length - raw.trimStart().length;
      const begin = start + leading;
      sentences.push({
        index: sentences.length,
        text: trimmed,
        beginIndex: codePointOffset(text, begin),
        endIndex: codePointOffset(text, begin + trimmed.length),
      });
    }
  };
  for (const match of text.matchAll(SENTENCE_END)) {
    push(match.index);
    start = match.index + match[0].length;
  }
  push(text.length);
  return sentences;
}

/** Converts a UTF-16 index of `text` into a code point offset. */
export function codePointOffset(text: string, utf16Index: number): number {
  let count = 0;
  for (let i = 0; i < utf16Index; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i++;
    count++;
  }
  return count;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A source text read by code point offsets. Most texts have no character beyond the Basic
 * Multilingual Plane, and there code points and UTF-16 units count alike: no array of characters
 * is made for them (one per anchor made the check of a large corpus take seconds).
 */
export class SourceText {
  readonly text: string;
  readonly #characters: string[] | undefined;

  constructor(text: string) {
    this.text = text;
    this.#characters = SURROGATE.test(text) ? Array.from(text) : undefined;
  }

  /** Length in code points. */
  get length(): number {
    return this.#characters?.length ?? this.text.length;
  }

  /** The text between two code point offsets (end exclusive). */
  slice(begin: number, end: number): string {
    return this.#characters ? this.#characters.slice(begin, end).join('') : this.text.slice(begin, end);
  }
}
