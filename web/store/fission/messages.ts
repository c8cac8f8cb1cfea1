/** Phrases of these store pages (zh-CN first; English falls back to Chinese where missing). */
export const zh: Record<string, string> = {};
export const en: Record<string, string> = {};
