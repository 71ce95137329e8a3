export { CouponRow, type CouponRowProps } from './CouponRow.tsx';
export { couponTexts, type CouponTexts } from './coupon-texts.ts';
