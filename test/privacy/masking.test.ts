import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskAddress, maskIdNumber, maskName, maskPassport, maskPhone } from '../../src/privacy/masking.ts';

test('Chinese names keep their first and last character', () => {
  assert.equal(maskName('张小三'), '张*三');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('欧阳娜娜'), '欧**娜');
  assert.equal(maskName('王'), '*');
});

test('other names keep the first letter of each word', () => {
  assert.equal(maskName('JOHN SMITH'), 'J*** S****');
});

test('ID numbers, phones, passports and addresses', () => {
  assert.equal(maskIdNumber('11010519491231002X'), '110***********002X');
  assert.equal(maskPhone('13912345678'), '139****5678');
  assert.equal(maskPassport('E12345678'), 'E******78');
  assert.equal(maskAddress('深圳市南山区科技园南区1号'), '深圳市南山区****');
  assert.equal(maskAddress('短地址'), '***');
  assert.equal(maskPhone('123'), '***');
});
