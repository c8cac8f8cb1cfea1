import type { CSSProperties } from "react";
import { yuan } from "../../shared/format";

const SIZES = { sm: 14, md: 18, lg: 26 } as const;

/**
 * A price as shoppers read it: a small ¥, the yuan large, the fen small; the list price struck through
 * beside it when the shopper pays less.
 */
export function Price({ fen, was, size = "md", color = "var(--store-red)", style, testId }: { fen: number; was?: number | null; size?: keyof typeof SIZES; color?: string; style?: CSSProperties; testId?: string }) {
  const text = yuan(fen);
  const [whole, cents] = text.slice(text.indexOf("¥") + 1).split(".");
  const big = SIZES[size];
  return (
    <span style={{ color, fontWeight: 600, whiteSpace: "nowrap", ...style }} data-testid={testId} data-fen={fen}>
      {fen < 0 && "-"}
      <span style={{ fontSize: big * 0.6 }}>¥</span>
      <span style={{ fontSize: big }}>{whole}</span>
      <span style={{ fontSize: big * 0.6 }}>.{cents}</span>
      {was != null && was > fen && <span style={{ color: "#999", fontSize: 12, fontWeight: 400, textDecoration: "line-through", marginLeft: 6 }}>{yuan(was)}</span>}
    </span>
  );
}
