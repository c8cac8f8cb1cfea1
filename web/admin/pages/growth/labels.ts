/** Event types an operator can build a funnel from, in the order a purchase usually goes. */
export const EVENT_TYPES = ["page_view", "product_view", "share", "click", "share_created", "registration", "add_to_cart", "order", "payment", "refund", "reward", "commission"] as const;

/** Share channels (分享渠道), as the sharing module records them. */
export const CHANNELS = ["wechat_friend", "wechat_moments", "qq", "qzone", "weibo", "douyin", "xiaohongshu", "sms", "link", "poster"] as const;

/** Fission paths (裂变路径): how a visitor or buyer arrived. */
export const PATHS = ["share", "invite", "groupbuy", "bargain", "coupon", "distribution", "organic"] as const;

/**
 * The phrase for a value the API names (a channel, an event type, a source): the value itself when no
 * phrase exists, so a new channel shows up as its code rather than as a missing key.
 */
export function named(t: (key: string) => string, group: string, value: string | null | undefined): string {
  if (!value) return t(`growth.${group}.none`);
  const key = `growth.${group}.${value}`;
  const phrase = t(key);
  return phrase === key ? value : phrase;
}

/** Where a new user came from: a UTM source, a share channel, "invite" or "direct". */
export function sourceName(t: (key: string) => string, source: string | null): string {
  const phrase = named(t, "source", source);
  return phrase === source ? named(t, "channel", source) : phrase;
}
