// Every saved query answers its question with exactly the answer the text gives.
import { describe, expect, it } from 'vitest';
import { knowledgeGraph, values, id } from '../helpers/kg.ts';
import { loadSavedQueries } from '../../src/dataset/saved-queries.ts';
import { queryForm } from '../../src/engine/query-analysis.ts';

const saved = new Map(loadSavedQueries('queries').map((query) => [query.name, query]));

async function answer(name: string): Promise<Array<Record<string, string>>> {
  const query = saved.get(name);
  if (!query) throw new Error(`no saved query ${name}`);
  const kg = await knowledgeGraph();
  return kg.store.select(query.query).map(values);
}


describe('the saved queries', () => {
  it('all have a title and a description and parse as queries', () => {
    expect(saved.size).toBeGreaterThanOrEqual(15);
    for (const query of saved.values()) {
      expect(query.title.length).toBeGreaterThan(10);
      expect(query.description.length).toBeGreaterThan(20);
      expect(['SELECT', 'CONSTRUCT']).toContain(queryForm(query.query));
    }
  });

  it('the chairmanship transfer as a graph', async () => {
    const kg = await knowledgeGraph();
    const triples = kg.store.construct(saved.get('chairmanship-graph')!.query);
    const labels = triples.filter((q) => q.predicate.value.endsWith('#label')).map((q) => q.object.value).sort();
    expect(labels).toEqual([
      'Armenia', 'Collective Security Treaty Organization', 'Dushanbe',
      'Session of the CSTO Collective Security Council, 16 September 2021', 'Tajikistan',
      'Transfer of the CSTO chairmanship from Tajikistan to Armenia',
    ]);
    expect(triples).toHaveLength(12);
  });

  it('who represented the Kyrgyz Republic, and in which office', async () => {
    expect(await answer('representative-of-kyrgyzstan')).toEqual([{
      person: id('person/ruslan-kazakbaev'),
      name: 'Ruslan Kazakbaev',
      office: id('post/minister-of-foreign-affairs-of-kyrgyzstan'),
      officeName: 'Minister of Foreign Affairs of the Kyrgyz Republic',
    }]);
  });

  it('which CSTO bodies met jointly', async () => {
    expect(await answer('joint-session-bodies')).toEqual([
      { body: id('organization/csto-committee-of-secretaries-of-security-councils'), name: 'Committee of Secretaries of the Security Councils of the CSTO', alsoCalled: expect.stringMatching(/^(CSSS, Committee of Secretaries of the Security Councils|Committee of Secretaries of the Security Councils, CSSS)$/) },
      { body: id('organization/csto-council-of-foreign-ministers'), name: 'Council of Foreign Ministers of the CSTO', alsoCalled: expect.stringMatching(/^(CFM, Council of Foreign Ministers|Council of Foreign Ministers, CFM)$/) },
      { body: id('organization/csto-council-of-ministers-of-defense'), name: 'Council of Ministers of Defense of the CSTO', alsoCalled: expect.stringMatching(/^(CMD, Council of Ministers of Defense|Council of Ministers of Defense, CMD)$/) },
    ]);
  });

  it('date and city of the joint session', async () => {
    expect(await answer('joint-session-date-and-place')).toEqual([{
      session: id('event/csto-joint-session-2021-09-15'),
      date: '2021-09-15',
      city: id('place/dushanbe'),
      cityName: 'Dushanbe',
    }]);
  });

  it('what particular attention was paid to', async () => {
    const [row, ...rest] = await answer('particular-attention');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      event: id('event/csto-joint-session-2021-09-15'),
      topicName: 'Current situation in Afghanistan and its impact on the security of the CSTO member states',
    });
    expect(row!.concerns!.split(', ').sort()).toEqual(['Afghanistan', 'CSTO member states']);
  });

  it('the points of the minister\'s speech', async () => {
    expect(await answer('speech-points')).toEqual([
      { speech: id('event/speech-of-ruslan-kazakbaev-2021-09-15'), how: 'drew attention to', point: 'Importance of increasing the potential of the Collective Rapid Reaction Force of the CSTO' },
      { speech: id('event/speech-of-ruslan-kazakbaev-2021-09-15'), how: 'drew attention to', point: 'Importance of strengthening cooperation in the main areas of CSTO activities' },
      { speech: id('event/speech-of-ruslan-kazakbaev-2021-09-15'), how: 'drew attention to', point: 'Importance of timely development of collective and consolidated measures to respond to emerging security challenges and threats' },
      { speech: id('event/speech-of-ruslan-kazakbaev-2021-09-15'), how: 'emphasized', point: 'Ensuring the collective security of the member states is possible only if its reliable system is built, through effective cooperation and practical interaction' },
    ]);
  });

  it('how many documents were signed: 25, none of them named', async () => {
    const [row, ...rest] = await answer('signed-documents');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ count: '25', signedAt: id('event/csto-joint-session-2021-09-15') });
    expect(row!.concerning!.split('; ').sort()).toEqual([
      'Countering contemporary challenges and threats',
      'Further development of the collective security system in the political and military fields',
    ]);
    const kg = await knowledgeGraph();
    const members = kg.store.select(`SELECT ?d WHERE { <${id('document/signed-documents-2021-09-15')}> <http://schema.org/hasPart> ?d }`);
    expect(members).toEqual([]);
  });

  it('who adopted the joint declarations, and the four named ones', async () => {
    const adoptedBy = 'Heads of the foreign affairs agencies of the CSTO member states';
    expect(await answer('joint-declarations')).toEqual([
      { declaration: id('document/declaration-on-crisis-situations-in-the-middle-east-and-north-africa'), title: 'Joint declaration on collective efforts to resolve crisis situations in the Middle East and North Africa', adoptedBy, setIsComplete: 'false' },
      { declaration: id('document/declaration-on-the-principles-of-the-un-charter'), title: 'Joint declaration on reaffirming adherence to the principles of the UN Charter and strengthening cooperation to ensure their strict observance', adoptedBy, setIsComplete: 'false' },
      { declaration: id('document/declaration-on-information-security-and-combating-cyber-terrorism'), title: 'Joint declaration on the coordination of joint efforts in the field of information security and the combating cyber terrorism', adoptedBy, setIsComplete: 'false' },
      { declaration: id('document/declaration-on-the-situation-in-afghanistan'), title: 'Joint declaration on the situation in Afghanistan', adoptedBy, setIsComplete: 'false' },
    ]);
  });

  it('on whose initiative the anniversary statement was adopted, and for which anniversaries', async () => {
    const statement = {
      statement: id('document/statement-on-30th-anniversary-of-cis-and-20th-anniversary-of-sco'),
      title: 'Statement on the occasion of the 30th anniversary of the CIS and the 20th anniversary of the SCO',
      initiator: 'Kyrgyzstan',
    };
    expect(await answer('anniversary-statement')).toEqual([
      { ...statement, anniversary: '30th anniversary of the CIS', years: '30', ofOrganization: 'Commonwealth of Independent States' },
      { ...statement, anniversary: '20th anniversary of the SCO', years: '20', ofOrganization: 'Shanghai Cooperation Organisation' },
    ]);
  });

  it('which statement is only planned', async () => {
    expect(await answer('planned-documents')).toEqual([{
      document: id('document/statement-on-confidence-building-in-the-border-area'),
      title: 'Statement on Confidence Building in the Border Area of the CSTO Member States',
    }]);
  });

  it('what the parties agreed', async () => {
    expect(await answer('agreements')).toEqual([{
      event: id('event/csto-joint-session-2021-09-15'),
      agreed: 'Intensify further interaction of the CSTO member states in all areas of mutual interest',
    }]);
  });

  it('what "Tomorrow" refers to: 16 September 2021, the day of the next session', async () => {
    const [row, ...rest] = await answer('tomorrow');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      date: '2021-09-16',
      event: id('event/csto-collective-security-council-session-2021-09-16'),
      eventName: 'Session of the CSTO Collective Security Council, 16 September 2021',
    });
    expect(row!.sentence).toMatch(/^Tomorrow, September 16, 2021, the next session/);
  });

  it('who held the chairmanship before and after the transfer', async () => {
    expect(await answer('chairmanship-transfer')).toEqual([{
      transfer: id('event/csto-chairmanship-transfer-2021'),
      organization: 'Collective Security Treaty Organization',
      from: 'Tajikistan',
      to: 'Armenia',
      term: 'Next intersessional period of the CSTO after the session of 16 September 2021',
      session: id('event/csto-collective-security-council-session-2021-09-16'),
      date: '2021-09-16',
    }]);
  });

  it('which events lie in the future of the text', async () => {
    expect(await answer('future-events')).toEqual([
      { event: id('event/csto-collective-security-council-session-2021-09-16'), name: 'Session of the CSTO Collective Security Council, 16 September 2021', date: '2021-09-16' },
      { event: id('event/csto-chairmanship-transfer-2021'), name: 'Transfer of the CSTO chairmanship from Tajikistan to Armenia' },
    ]);
  });

  it('which sentence says who takes over the chairmanship, quoted exactly', async () => {
    const text = 'Tomorrow, September 16, 2021, the next session of the CSTO Collective Security Council will take place in Dushanbe, on the outcome of which the chairmanship of the Organization for the next intersessional period will be transferred from the Republic of Tajikistan to the Republic of Armenia.';
    expect(await answer('evidence')).toEqual([{
      chair: 'Armenia', sentence: text, begin: '3053', end: '3344',
      source: id('text/csto-joint-session-2021-09-15'),
    }]);
  });

  it('every document with its status', async () => {
    const documents = await answer('documents');
    expect(documents.map((row) => [row.status, row.document!.slice(id('document/').length)])).toEqual([
      ['adopted', 'declaration-on-crisis-situations-in-the-middle-east-and-north-africa'],
      ['adopted', 'declaration-on-the-principles-of-the-un-charter'],
      ['adopted', 'declaration-on-information-security-and-combating-cyber-terrorism'],
      ['adopted', 'declaration-on-the-situation-in-afghanistan'],
      ['adopted', 'joint-declarations-2021-09-15'],
      ['adopted', 'statement-on-30th-anniversary-of-cis-and-20th-anniversary-of-sco'],
      ['approved', 'documents-on-activities-of-cmd-and-csss-2021-09-15'],
      ['approved', 'documents-for-endorsement-by-heads-of-state-2021-09-15'],
      ['planned', 'statement-on-confidence-building-in-the-border-area'],
      ['signed', 'signed-documents-2021-09-15'],
    ]);
    const planned = documents.find((row) => row.status === 'planned');
    expect(planned!.concludedAt).toBeUndefined();
  });

  it('what the joint session discussed', async () => {
    expect((await answer('topics-discussed')).map((row) => row.topic)).toEqual([
      'Current situation in Afghanistan and its impact on the security of the CSTO member states',
      'Enhanced cooperation between the CSTO and the CIS, the SCO and other international organizations',
      'State and prospects for the development of the international and regional situation',
    ]);
  });
});

