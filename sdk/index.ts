/**
 * spay's merchant SDK: sign button orders, verify webhooks, call the gateway's REST API.
 *   import { SpayClient, signButtonOrder, verifyWebhook } from './sdk/index.ts';
 */
export {
  appFromConfig,
  restSecretFor,
  webhookSignSecretFor,
  type AppConfigFile,
  type RequestPurpose,
  type SpayApp,
} from './app.ts';
export {
  newOutTradeNo,
  signButtonOrder,
  signButtonOrderV2,
  type ButtonOrder,
  type OptionalValue,
  type SignedButtonOrder,
} from './button-order.ts';
export { SandboxClient, SpayClient, unwrap, type ClientOptions, type ThrowingClient } from './client.ts';
export {
  ResultCode,
  SpayError,
  type BeeCloudStatus,
  type Failure,
  type ResultName,
  type SpayResult,
  type Success,
} from './result.ts';
export * from './rest-types.ts';
export * from './coupon-types.ts';
export * from './subscription-types.ts';
export * from './button-types.ts';
export { DEFAULT_TIMEOUT_MS, type TransportOptions } from './rest-transport.ts';
export * from './sign.ts';
export {
  parseWebhookBody,
  verifyWebhook,
  type TransactionType,
  type VerifyWebhookOptions,
  type WebhookBody,
  type WebhookFailure,
  type WebhookHeaders,
  type WebhookVerification,
} from './webhook.ts';
