/**
 * Errors of a hub that bends instead of breaking (issue 14): the database away, a guessable check or a budget used
 * up — part of the one registry (registry.ts), beside YMT_ERR_BUSY. Each comes with `Retry-After`. Pure data.
 */
export const AVAILABILITY_ERRORS = {
  YMT_ERR_UNAVAILABLE: {
    status: 503,
    message: '系统暂时无法提供服务，请稍后再试',
    messageEn: 'The service is temporarily unavailable. Please try again shortly.',
  },
  YMT_ERR_RATE_LIMITED: {
    status: 429,
    message: '操作过于频繁，请稍后再试',
    messageEn: 'Too many attempts: please wait before trying again',
  },
  YMT_ERR_METRICS_FORBIDDEN: {
    status: 403,
    message: '无权读取运行指标',
    messageEn:
      'Not allowed to read the metrics: send METRICS_TOKEN as a bearer token, or scrape from this machine',
  },
} as const;
