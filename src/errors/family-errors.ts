/**
 * Family members by proxy: coded errors of a holder adding, acting for and removing dependants, and of a
 * dependant ending a proxy (docs/family.md) — part of the one registry (registry.ts). Pure data.
 */
export const FAMILY_ERRORS = {
  YMT_ERR_DEPENDANT_REAL_NAME: {
    status: 422,
    message: '家属实名核验未通过，请核对证件信息与姓名',
    messageEn: "The family member's real-name check failed: check the document and the name",
  },
  YMT_ERR_DEPENDANT_SELF: {
    status: 400,
    message: '不能将本人添加为家属',
    messageEn: 'You cannot add yourself as a family member',
  },
  YMT_ERR_DEPENDANT_EXISTS: {
    status: 409,
    message: '该家属已在您的家庭成员中',
    messageEn: 'This person is already one of your family members',
  },
  YMT_ERR_DEPENDANT_LIMIT: {
    status: 409,
    message: '家庭成员数量已达上限',
    messageEn: 'You have reached the most family members you can add',
  },
  YMT_ERR_GUARDIAN_LIMIT: {
    status: 409,
    message: '该家属的代办人数量已达上限',
    messageEn: 'This person already has the most people acting for them',
  },
  YMT_ERR_DEPENDANT_RELATIONSHIP: {
    status: 400,
    message: '未成年人只能由其监护人（父母、祖父母、外祖父母或其他监护人）代办',
    messageEn: "A minor's proxy must be their guardian: relationship child, grandchild or ward",
  },
  YMT_ERR_PROXY_HOLDER_MINOR: {
    status: 403,
    message: '未成年人不能为他人代办',
    messageEn: 'A minor cannot act for others',
  },
  YMT_ERR_DEPENDANT_NOT_FOUND: {
    status: 404,
    message: '家庭成员不存在或代办已结束',
    messageEn: 'No such family member, or the proxy has ended',
  },
  YMT_ERR_PROXY_FULL_VIEW: {
    status: 403,
    message: '代办时只能查看脱敏信息',
    messageEn: 'Acting for a family member, you see their record masked only',
  },
  YMT_ERR_PROXY_GUARDIAN_CONSENT: {
    status: 403,
    message: '监护人代办期间，未成年人本人不能结束代办；年满十八周岁后可以随时结束',
    messageEn:
      "A guardian's proxy for a minor cannot be ended by the minor; from 18 it can be ended at any time",
  },
} as const;
