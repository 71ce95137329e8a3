/**
 * The banks a BC_TRANSFER (bank-card transfer) reaches, by account kind — what `GET /2/rest/bc_transfer/banks`
 * lists and `bank_fullname` names (the full name: 中国银行, never 中行).
 */
export type BankAccountKind = 'P_DE' | 'P_CR' | 'C';

const MAJOR = [
  '中国工商银行',
  '中国农业银行',
  '中国银行',
  '中国建设银行',
  '交通银行',
  '招商银行',
  '中信银行',
  '中国光大银行',
  '华夏银行',
  '中国民生银行',
  '广发银行',
  '平安银行',
  '兴业银行',
  '上海浦东发展银行',
];

const BANKS: Record<BankAccountKind, readonly string[]> = {
  P_DE: [...MAJOR, '中国邮政储蓄银行', '北京银行', '上海银行', '南京银行', '宁波银行'],
  P_CR: MAJOR,
  C: [...MAJOR, '中国邮政储蓄银行', '北京银行', '上海银行'],
};

export function banksFor(kind: BankAccountKind): readonly string[] {
  return BANKS[kind];
}
