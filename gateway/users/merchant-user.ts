/** A user of the merchant (商家用户): the buyer_id the merchant gives its customer, in one app and mode. */
import type { AppMode } from '../apps/app.ts';

export interface MerchantUser {
  appId: string;
  mode: AppMode;
  buyerId: string;
  /** The merchant account (email or phone) it was registered under; '' when registered by the app alone. */
  merchant: string;
  createdAt: number;
  updatedAt: number;
}
