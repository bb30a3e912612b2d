// How `kg push` cuts a graph with blank nodes into requests: never between quads that share one.

import { DataFactory } from 'n3';
import { describe, expect, it } from 'vitest';
import { blankNodeGroups } from '../../src/dataset/push.ts';

const { quad, namedNode, blankNode, literal } = DataFactory;

describe('blankNodeGroups', () => {
  it('keeps every quad of a blank node, and of the blank nodes linked to it, in one group', () => {
    const shape = namedNode('urn:shape');
    const quads = [
      quad(shape, namedNode('urn:property'), blankNode('a')),
      quad(blankNode('a'), namedNode('urn:path'), namedNode('urn:label')),
      quad(blankNode('a'), namedNode('urn:in'), blankNode('list')),
      quad(blankNode('list'), namedNode('urn:first'), literal('en')),
      quad(shape, namedNode('urn:property'), blankNode('b')),
      quad(blankNode('b'), namedNode('urn:path'), namedNode('urn:name')),
    ];
    const groups = blankNodeGroups(quads, 2);
    expect(groups.flat()).toHaveLength(quads.length);
    const groupOf = (label: string) => groups.findIndex((group) => group.some((q) => q.subject.value === label || q.object.value === label));
    for (const group of groups) {
      for (const q of group) {
        for (const term of [q.subject, q.object]) if (term.termType === 'BlankNode') expect(groupOf(term.value)).toBe(groups.indexOf(group));
      }
    }
    // a and list are one component of 4 quads (more than the size: never split); b is another.
    expect(groups.map((group) => group.length).sort()).toEqual([2, 4]);
  });
});
