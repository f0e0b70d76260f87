import assert from 'node:assert/strict';
import { test } from 'node:test';
import beijingRules from '../../docs/examples/rules/110000.acceptance.json' with { type: 'json' };
import { ProvinceRegistry } from '../../src/provinces/province-registry.ts';
import { SHIPPED_ACCEPTANCE_RULE_SETS } from '../../src/recognition/acceptance.registry.ts';
import {
  decide,
  loadAcceptanceRuleSet,
  ruleSetInForce,
  type AcceptanceInput,
  type AcceptanceRuleSet,
} from '../../src/recognition/acceptance-rule-set.ts';

/** Beijing's stricter rules: an example a province may publish (docs/examples/rules/), not shipped. */
const beijingExample = (): AcceptanceRuleSet => {
  const r = loadAcceptanceRuleSet(beijingRules);
  assert.ok(r.ok, JSON.stringify(r));
  return r.ruleSet;
};

const now = new Date('2026-11-27T10:00:00+08:00');
const code = (iss: string, colour: string): AcceptanceInput['code'] => ({
  iss,
  colour,
  issuedAt: new Date(now.getTime() - 60_000),
  expiresAt: new Date(now.getTime() + 840_000),
});
const at = (region: string | null, iss: string, colour: string): AcceptanceInput => ({
  code: code(iss, colour),
  checkpoint: region === null ? null : { region, province: `${region.slice(0, 2)}0000` },
  nationalIssuer: 'CN',
});
const decision = (
  region: string | null,
  iss: string,
  colour: string,
  sets: readonly AcceptanceRuleSet[] = SHIPPED_ACCEPTANCE_RULE_SETS,
) => {
  const province = region === null ? null : `${region.slice(0, 2)}0000`;
  const set = ruleSetInForce(sets, province, now);
  assert.ok(set);
  const d = decide(set, at(region, iss, colour), now);
  return `${d.decision} ${d.reasons[0]?.code ?? ''} ${d.ruleSet}`;
};

test('the national baseline: green accepted, yellow checked by hand, red refused, any issuer', () => {
  assert.equal(decision(null, 'CN', 'green'), 'accept GREEN_CODE national-acceptance@1.0.0');
  assert.equal(decision(null, '440000', 'green'), 'accept GREEN_CODE national-acceptance@1.0.0');
  assert.equal(decision(null, 'CN', 'yellow'), 'manual YELLOW_CODE national-acceptance@1.0.0');
  assert.equal(decision(null, 'CN', 'red'), 'refuse RED_CODE national-acceptance@1.0.0');
  assert.equal(
    decision('440305', 'CN', 'green'),
    'accept GREEN_CODE national-acceptance@1.0.0',
    'no Guangdong set',
  );
});

test('recognition by default: the shipped rules accept a green code of any of the 33 issuers in every province', () => {
  // Only the national set ships; a province without its own published set applies it.
  assert.deepEqual(
    SHIPPED_ACCEPTANCE_RULE_SETS.map((s) => [s.id, s.province]),
    [['national-acceptance', null]],
  );
  const units = new ProvinceRegistry().all();
  assert.equal(units.length, 32);
  const issuers = ['CN', ...units.map((u) => u.code)];
  for (const unit of units) {
    for (const iss of issuers) {
      // The checkpoint in the unit's own code region (a county of the Corps for the Corps).
      assert.equal(
        decision(unit.code, iss, 'green').split(' ')[0],
        'accept',
        `a green code of ${iss} at a checkpoint of ${unit.code}`,
      );
    }
  }
  assert.equal(decision('110105', '440000', 'green'), 'accept GREEN_CODE national-acceptance@1.0.0');
});

test("Beijing's example (published, not shipped): the national green or its own; another province's green checked by hand", () => {
  const sets = [...SHIPPED_ACCEPTANCE_RULE_SETS, beijingExample()];
  assert.equal(decision('110105', 'CN', 'green', sets), 'accept NATIONAL_GREEN beijing-acceptance@1.0.0');
  assert.equal(decision('110105', '110000', 'green', sets), 'accept OWN_GREEN beijing-acceptance@1.0.0');
  assert.equal(decision('110105', '440000', 'green', sets), 'manual OTHERWISE beijing-acceptance@1.0.0');
  assert.equal(decision('110105', 'CN', 'yellow', sets), 'manual OTHERWISE beijing-acceptance@1.0.0');
  assert.equal(decision('110105', '440000', 'red', sets), 'refuse RED_CODE beijing-acceptance@1.0.0');
  // Elsewhere the national set still decides.
  assert.equal(decision('440305', '110000', 'green', sets), 'accept GREEN_CODE national-acceptance@1.0.0');
});

test('a version takes effect at its validFrom; until then the one before (or the national) applies', () => {
  const beijing = beijingExample();
  const v2 = loadAcceptanceRuleSet({
    id: 'beijing-acceptance',
    version: '2.0.0',
    province: '110000',
    validFrom: '2026-12-01T00:00:00+08:00',
    rules: [],
    otherwise: { decision: 'refuse', text: '暂停', textEn: 'Suspended' },
  });
  assert.ok(v2.ok);
  const sets = [...SHIPPED_ACCEPTANCE_RULE_SETS, beijing, v2.ruleSet];
  assert.equal(ruleSetInForce(sets, '110000', now)?.version, '1.0.0');
  assert.equal(ruleSetInForce(sets, '110000', new Date('2026-12-01T00:00:00+08:00'))?.version, '2.0.0');
  const onlyLater = [...SHIPPED_ACCEPTANCE_RULE_SETS, v2.ruleSet];
  assert.equal(ruleSetInForce(onlyLater, '110000', now)?.id, 'national-acceptance');
});

test('a bad rule set is refused with every problem as data', () => {
  const r = loadAcceptanceRuleSet({
    id: '',
    version: '1',
    province: '110105',
    validFrom: 'soon',
    parameters: {},
    rules: [
      { id: 'lower', decision: 'maybe', when: { '===': [{ param: 'nope' }, 1] }, text: 'x' },
      { id: 'BAD_EXPR', decision: 'accept', when: { frobnicate: [] }, text: 'x', textEn: 'y' },
    ],
    otherwise: { decision: 'accept' },
  });
  assert.ok(!r.ok);
  const paths = r.problems.map((p) => p.path);
  for (const p of [
    'id',
    'version',
    'province',
    'validFrom',
    'otherwise.text',
    'rules[0].id',
    'rules[0].decision',
    'rules[0].text',
    'rules[0].when',
    'rules[1].when',
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  }
});
