import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fixtures from '../../src/risk/baseline.fixtures.json' with { type: 'json' };
import { BASELINE_RULE_SET } from '../../src/risk/baseline.ts';
import { evidenceAt, runHistory, type PersonHistory } from '../../src/risk/fixtures.ts';
import { assess } from '../../src/risk/risk-engine.ts';
import { loadRuleSet } from '../../src/rule-sets/rule-set.ts';
import doc from '../../src/risk/baseline.rule-set.json' with { type: 'json' };

describe('the national baseline rule set: person-history fixtures', () => {
  for (const history of fixtures as unknown as PersonHistory[]) {
    test(history.name, () => {
      assert.deepEqual(runHistory(BASELINE_RULE_SET, history), []);
    });
  }
});

test('each reason names its evidence record and fills its text', () => {
  const history = (fixtures as unknown as PersonHistory[])[3];
  assert.ok(history);
  const now = new Date('2026-11-12T10:00:00+08:00');
  const r = assess(BASELINE_RULE_SET, evidenceAt(history.events, now), now);
  assert.deepEqual(r.reasons, [
    {
      code: 'CO_TRAVEL',
      colour: 'yellow',
      text: '2026-11-10 与确诊或疑似病例同乘 G123',
      textEn: 'Travelled on G123 on 2026-11-10 with a confirmed or suspected case',
      evidence: { source: 'railway', batchId: 'fixture', record: 1 },
    },
  ]);
  assert.equal(r.ruleSet, 'national-baseline@1.0.0');
});

test('parameters are configuration: a 7-day window ends the co-travel finding sooner', () => {
  const seven = loadRuleSet({ ...doc, version: '1.1.0', parameters: { ...doc.parameters, windowDays: 7 } });
  assert.ok(seven.ok);
  const history = (fixtures as unknown as PersonHistory[])[3];
  assert.ok(history);
  const now = new Date('2026-11-18T10:00:00+08:00');
  assert.equal(assess(BASELINE_RULE_SET, evidenceAt(history.events, now), now).colour, 'yellow');
  assert.equal(assess(seven.ruleSet, evidenceAt(history.events, now), now).colour, 'green');
});

test('a broken rule set is refused with every problem', () => {
  const r = loadRuleSet({
    id: 'x',
    version: '1',
    validFrom: 'soon',
    parameters: { windowDays: 1.5 },
    rules: [
      {
        id: 'A',
        colour: 'blue',
        over: 'dreams',
        when: { '>=': [{ var: 'item.x' }, { param: 'nope' }] },
        text: 't',
        textEn: 't',
      },
      { id: 'A', colour: 'red', over: 'declaration', when: { foo: [] }, text: 't', textEn: 't' },
    ],
  });
  assert.equal(r.ok, false);
  const paths = r.problems.map((p) => p.path);
  for (const p of [
    'version',
    'validFrom',
    'parameters.windowDays',
    'rules[0].colour',
    'rules[0].over',
    'rules[0].when',
    'rules[1].id',
    'rules[1].when',
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  }
});

test('declared symptoms are named in English in the English reason; one outside the choices as written', () => {
  const now = new Date('2026-11-12T10:00:00+08:00');
  const declaration = {
    temperature: 36.6,
    symptoms: ['咳嗽', '嗅觉味觉减退', 'headache'],
    contactWithCases: false,
    evidence: { source: 'declaration', batchId: 'declaration', record: 1 },
  } as const;
  const r = assess(BASELINE_RULE_SET, { healthEvents: [], coTravel: [], visits: [], declaration }, now);
  const symptoms = r.reasons.find((x) => x.code === 'DECLARED_SYMPTOMS');
  assert.equal(symptoms?.text, '申报有症状：咳嗽、嗅觉味觉减退、headache');
  assert.equal(symptoms.textEn, 'Declared symptoms: Cough, Loss of smell or taste, headache');
});
