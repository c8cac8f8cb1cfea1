import type { Locale } from "../../../shared/i18n";

/** Axis ticks for money: whole yuan from fen, shortened the way each language reads big numbers (1.2万 / 12K). */
export function compactYuan(fen: number, locale: Locale): string {
  return `¥${compactNumber(Math.round(fen / 100), locale)}`;
}

export function compactNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}
