/**
 * The small deterministic demo population loaded into an empty database on first start (DEMO_DATA=true).
 * Invented people with valid GB 11643 numbers; the README lists them so anyone can sign in.
 */
import { idCardCheckChar } from '../identity/id-card.domain.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { DeclarationInput } from '../declaration/declaration.domain.ts';

export interface DemoPerson {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly nationality: string;
  readonly name: string;
  readonly phone: string;
  readonly declaration?: DeclarationInput;
  /** A status entry an operator records for them: its kind (src/status/status-entry-kinds.json) and why. */
  readonly status?: { kind: string; reason: string };
}

function idNumber(region: string, birth: string, sequence: string): string {
  const first17 = region + birth + sequence;
  return first17 + idCardCheckChar(first17);
}

const healthy = { temperature: 36.5, symptoms: [], contactWithCases: false, underlyingConditions: '' };

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    documentType: 'id_card',
    documentNumber: idNumber('110105', '19850312', '123'),
    nationality: 'CHN',
    name: '张伟',
    phone: '13800138001',
    declaration: {
      ...healthy,
      householdRegion: '110105',
      address: '北京市朝阳区建国路88号',
      recentCities: ['110000'],
    },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('440106', '19920718', '246'),
    nationality: 'CHN',
    name: '李娜',
    phone: '13800138002',
    declaration: {
      ...healthy,
      temperature: 37.8,
      symptoms: ['咳嗽'],
      householdRegion: '440106',
      address: '广州市天河区体育西路1号',
      recentCities: ['440100', '440300'],
    },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('310104', '19780101', '357'),
    nationality: 'CHN',
    name: '王强',
    phone: '13800138003',
    declaration: {
      ...healthy,
      householdRegion: '310104',
      address: '上海市徐汇区漕溪北路200号',
      recentCities: ['310000'],
    },
    status: { kind: 'CASE_CONFIRMED', reason: '演示数据：卫生健康部门通报的确诊病例' },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('510107', '19990909', '471'),
    nationality: 'CHN',
    name: '刘洋',
    phone: '13800138004',
    declaration: {
      ...healthy,
      householdRegion: '510107',
      address: '成都市武侯区人民南路四段9号',
      recentCities: ['510100', '500000'],
    },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('420106', '19880520', '582'),
    nationality: 'CHN',
    name: '陈静',
    phone: '13800138005',
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('659001', '19700615', '613'),
    nationality: 'CHN',
    name: '赵磊',
    phone: '13800138006',
    declaration: {
      ...healthy,
      householdRegion: '659001',
      address: '石河子市北四路10号',
      recentCities: ['659001'],
    },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('430102', '19400202', '724'),
    nationality: 'CHN',
    name: '黄秀英',
    phone: '13800138007',
    declaration: {
      ...healthy,
      underlyingConditions: '高血压',
      householdRegion: '430102',
      address: '长沙市芙蓉区五一大道5号',
      recentCities: [],
    },
  },
  {
    documentType: 'id_card',
    documentNumber: idNumber('330106', '20150808', '835'),
    nationality: 'CHN',
    name: '欧阳娜娜',
    phone: '13800138008',
    declaration: {
      ...healthy,
      householdRegion: '330106',
      address: '杭州市西湖区文三路3号',
      recentCities: ['330100'],
    },
  },
  {
    documentType: 'passport',
    documentNumber: 'E12345678',
    nationality: 'CHN',
    name: '周敏',
    phone: '13800138009',
  },
  {
    documentType: 'passport',
    documentNumber: '123456789',
    nationality: 'GBR',
    name: 'JOHN SMITH',
    phone: '+447700900123',
    declaration: {
      ...healthy,
      sex: 'male',
      householdRegion: '310115',
      address: '上海市浦东新区世纪大道100号',
      recentCities: ['310000'],
    },
  },
];
