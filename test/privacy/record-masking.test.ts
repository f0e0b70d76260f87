import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskRecordText, scrubText } from '../../src/privacy/record-masking.ts';

const ID = '110105198503121234';

test('a JSON record: the document number by its type, the phone, a name field', () => {
  const masked = (r: object) => JSON.parse(maskRecordText(JSON.stringify(r))) as Record<string, unknown>;
  assert.deepEqual(masked({ documentType: 'id_card', documentNumber: ID, trainNo: 'G123', carriage: 99 }), {
    documentType: 'id_card',
    documentNumber: '110***********1234',
    trainNo: 'G123',
    carriage: 99,
  });
  assert.deepEqual(masked({ documentType: 'passport', documentNumber: 'E12345678', nationality: 'CHN' }), {
    documentType: 'passport',
    documentNumber: 'E******78',
    nationality: 'CHN',
  });
  // An unknown type: masked as tightly as a passport.
  assert.equal(masked({ documentType: 'visa', documentNumber: ID }).documentNumber, '1***************34');
  assert.deepEqual(masked({ phone: '13800138001', fullName: 'JOHN SMITH', name: '张伟' }), {
    phone: '138****8001',
    fullName: 'J*** S****',
    name: '张*',
  });
});

test('a JSON record: personal data under a wrong field name is still masked; the contract’s plain fields are kept', () => {
  const masked = JSON.parse(
    maskRecordText(
      JSON.stringify({
        docNo: ID,
        mobile: 13800138001,
        remark: '乘客王小明',
        nested: { tel: '+8613800138001' },
        areaCode: '420100',
        authority: '武汉市卫生健康委员会',
        from: '2026-11-19T00:00:00+08:00',
      }),
    ),
  ) as Record<string, unknown>;
  assert.deepEqual(masked, {
    docNo: '110***********1234',
    mobile: '138****8001',
    remark: '乘***明',
    nested: { tel: '+8**********01' },
    areaCode: '420100',
    authority: '武汉市卫生健康委员会',
    from: '2026-11-19T00:00:00+08:00',
  });
});

test('text that is not a JSON object: CSV rows, broken JSON, arrays', () => {
  assert.equal(
    maskRecordText(`id_card,${ID},G123,2026-11-20,5,01A`),
    'id_card,110***********1234,G123,2026-11-20,5,01A',
  );
  assert.equal(maskRecordText('张伟,13800138001,440300'), '张*,138****8001,440300');
  assert.equal(maskRecordText('{"documentNumber":"E12345678",'), '{"documentNumber":"E******78",');
  assert.equal(maskRecordText(`["${ID}"]`), '["110***********1234"]');
});

test('scrubText leaves Chinese text alone unless asked', () => {
  const text = `绿码被拒，电话 13800138001，证件 ${ID}`;
  assert.equal(scrubText(text, false), '绿码被拒，电话 138****8001，证件 110***********1234');
  assert.equal(
    scrubText('列车 G1234 于 2026-11-20 08:00 到站', false),
    '列车 G1234 于 2026-11-20 08:00 到站',
  );
});
