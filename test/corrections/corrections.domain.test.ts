/** Routing a disputed record to its owner: the rules are data (src/corrections/routing.json). Pure. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  evidenceKey,
  KINDS,
  loadRouting,
  route,
  SHIPPED_ROUTING,
} from '../../src/corrections/corrections.domain.ts';
import { KindSchema, StateSchema } from '../../src/corrections/corrections.views.ts';
import { STATES } from '../../src/tickets/workflow.domain.ts';

const ev = (source: string, batchId = 'b-1', record = 1) => ({ source, batchId, record });
const ownerOf = (source: string, batchId?: string, province: string | null = null) => {
  const r = route(SHIPPED_ROUTING, ev(source, batchId), { province });
  return r.ok ? r.owner : r.reason;
};

describe('corrections routing', () => {
  test('a department’s record goes to that department, national or the province’s it was sent for', () => {
    assert.deepEqual(ownerOf('railway'), { kind: 'department', source: 'railway', province: null });
    assert.deepEqual(ownerOf('health', 'b', '440000'), {
      kind: 'department',
      source: 'health',
      province: '440000',
    });
    assert.deepEqual(ownerOf('area-risk', 'feed-7'), {
      kind: 'department',
      source: 'area-risk',
      province: null,
    });
  });

  test('a province’s finding to that province; console entries and the unknown to the operators', () => {
    assert.deepEqual(ownerOf('province:440000'), { kind: 'province', province: '440000' });
    assert.deepEqual(ownerOf('area-risk', 'console-3'), { kind: 'operators' });
    assert.deepEqual(ownerOf('status'), { kind: 'operators' });
    assert.deepEqual(ownerOf('province:44'), { kind: 'operators' });
    assert.deepEqual(ownerOf('something-new'), { kind: 'operators' });
  });

  test('the holder’s own declaration is not disputed (they modify it)', () => {
    assert.equal(ownerOf('declaration'), 'not_disputable');
  });

  test('the first matching rule wins; a broken rules file names what is wrong', () => {
    const r = loadRouting({
      rules: [
        { source: 'railway', batchPrefix: 'gd-', owner: 'operators' },
        { source: 'railway', owner: 'department' },
      ],
      notDisputable: [],
    });
    assert.deepEqual(route(r, ev('railway', 'gd-1'), undefined), {
      ok: true,
      owner: { kind: 'operators' },
      rule: 0,
    });
    assert.equal(route(r, ev('railway', 'x'), undefined).ok, true);
    assert.throws(
      () => loadRouting({ rules: [{ source: 'railway', owner: 'nobody' }], notDisputable: [] }),
      /rules\[0\]\.owner/,
    );
    assert.throws(() => loadRouting({ rules: [], notDisputable: [] }), /rules: a non-empty array/);
  });

  test('one key per record', () => {
    assert.equal(evidenceKey(ev('railway', 'b', 2)), evidenceKey(ev('railway', 'b', 2)));
    assert.notEqual(evidenceKey(ev('railway', 'b', 2)), evidenceKey(ev('railway', 'b', 3)));
  });

  test('the API’s schemas list exactly the workflow’s states and the domain’s kinds', () => {
    const literals = (s: { anyOf: { const: string }[] }) => s.anyOf.map((x) => x.const);
    assert.deepEqual(literals(StateSchema as never), [...STATES]);
    assert.deepEqual(literals(KindSchema as never), [...KINDS]);
  });
});
