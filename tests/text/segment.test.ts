import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { segmentSentences, codePointOffset, SourceText } from '../../src/text/segment.ts';

describe('segmentSentences', () => {
  it('splits a title line and sentences of paragraphs, with offsets that select each sentence', () => {
    const text = 'A title\n\nFirst sentence. Second one? Third!\n\nLast paragraph.';
    const sentences = segmentSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      'A title', 'First sentence.', 'Second one?', 'Third!', 'Last paragraph.',
    ]);
    for (const s of sentences) expect(text.slice(s.beginIndex, s.endIndex)).toBe(s.text);
  });

  it('does not split inside a sentence at a comma followed by a number', () => {
    const sentences = segmentSentences('As part of the CSTO, 25 documents were signed. Then more.');
    expect(sentences.map((s) => s.text)).toEqual(['As part of the CSTO, 25 documents were signed.', 'Then more.']);
  });

  it('counts offsets in code points, as NIF does, not in UTF-16 units', () => {
    const text = 'Emoji 😀 here.\n\nNext.';
    const [, second] = segmentSentences(text);
    expect(second).toMatchObject({ text: 'Next.', beginIndex: 15, endIndex: 20 });
    expect(new SourceText(text).slice(15, 20)).toBe('Next.');
    expect(new SourceText(text).length).toBe(Array.from(text).length);
    expect(new SourceText('Plain text.').slice(6, 10)).toBe('text');
    expect(codePointOffset(text, text.indexOf('Next'))).toBe(15);
  });

  it('finds the 15 sentences of the CSTO text, the title being the first', () => {
    const text = readFileSync('data/csto-joint-session-2021-09-15.txt', 'utf8');
    const sentences = segmentSentences(text);
    expect(sentences).toHaveLength(15);
    expect(sentences[0]!.text).toMatch(/^The Minister of Foreign Affairs .* Collective Security Treaty Organization$/);
    expect(sentences[14]!.text).toMatch(/^Tomorrow, September 16, 2021, .* to the Republic of Armenia\.$/);
  });
});
