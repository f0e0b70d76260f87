/** The words of the declaration's entry fields and of the entry check (entry-fields.tsx, health-view.tsx). */
import type { Dictionary } from '../shared/i18n.ts';

export const inboundZh = {
  entryOn: '我是入境人员（近30天内入境）',
  entryLegend: '入境信息',
  entryTripNo: '航班号或车次',
  entryDate: '入境日期',
  entryPort: '入境口岸',
  entryFromCountry: '出发国家或地区（三位字母代码，如 GBR）',
  entryQuarantinePlace: '隔离地点（可不填）',
  entryRequired: '请填写航班号或车次、入境日期、口岸和出发国家',
  entryCheckTitle: '入境信息核验',
  entryMatched: '与出入境记录一致',
  entryMismatch: '与出入境记录不一致：{fields}',
  entryNotRecorded: '暂未收到您的出入境记录',
  entryRecorded: '出入境记录：{trip}（{date}，{port}）',
  entryFieldTripNo: '航班号或车次',
  entryFieldDate: '日期',
} as const;

export const inboundEn: Dictionary<keyof typeof inboundZh> = {
  entryOn: 'I entered China in the last 30 days',
  entryLegend: 'Entry',
  entryTripNo: 'Flight or train number',
  entryDate: 'Date of entry',
  entryPort: 'Port of entry',
  entryFromCountry: 'Country left from (three letters, e.g. GBR)',
  entryQuarantinePlace: 'Quarantine place (optional)',
  entryRequired: 'Give the flight or train, the date, the port and the country',
  entryCheckTitle: 'Entry check',
  entryMatched: 'Matches the immigration record',
  entryMismatch: 'Differs from the immigration record: {fields}',
  entryNotRecorded: 'No immigration record of yours has arrived yet',
  entryRecorded: 'Immigration record: {trip} ({date}, {port})',
  entryFieldTripNo: 'flight or train',
  entryFieldDate: 'date',
};
