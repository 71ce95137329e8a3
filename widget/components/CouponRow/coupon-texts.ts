/** The 优惠券 row's texts, shipped in the lazy chunk with it (zh-CN and en). */
import type { ButtonCouponRefusal } from '../../../sdk/button-types.ts';
import type { Locale } from '../../i18n.ts';

export interface CouponTexts {
  title: string;
  none: string;
  /** "-¥5.00": what a usable coupon takes off. */
  off: (amount: string) => string;
  /** After the total: "(已优惠¥5.00)". */
  saved: (amount: string) => string;
  /** Why a coupon is greyed out. */
  refusal: Record<ButtonCouponRefusal, string>;
  /** "满¥30.00可用" for a threshold not reached. */
  needs: (amount: string) => string;
}

const zhCN: CouponTexts = {
  title: '优惠券',
  none: '不使用优惠券',
  off: (amount) => `-¥${amount}`,
  saved: (amount) => `(已优惠¥${amount})`,
  refusal: {
    not_owner: '不可用',
    used: '已使用',
    not_started: '未到使用时间',
    expired: '已过期',
    template_inactive: '已停用',
    below_threshold: '未满使用金额',
  },
  needs: (amount) => `满¥${amount}可用`,
};

const en: CouponTexts = {
  title: 'Coupons',
  none: 'No coupon',
  off: (amount) => `-¥${amount}`,
  saved: (amount) => `(¥${amount} off)`,
  refusal: {
    not_owner: 'Not available',
    used: 'Already used',
    not_started: 'Not valid yet',
    expired: 'Expired',
    template_inactive: 'Withdrawn',
    below_threshold: 'Order too small',
  },
  needs: (amount) => `For orders from ¥${amount}`,
};

export function couponTexts(locale: Locale): CouponTexts {
  return locale === 'en' ? en : zhCN;
}
