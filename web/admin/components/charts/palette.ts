/** The console's chart colours: the brand red first, then hues that stay apart when printed small. */
export const PALETTE = ["#e02e24", "#1677ff", "#fa8c16", "#13c2c2", "#722ed1", "#52c41a", "#eb2f96", "#faad14", "#2f54eb", "#a0d911"];

/** The console's font stack (a canvas cannot `inherit` one; an invalid font there silently drops size and weight). */
export const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Axis and split-line greys shared by every cartesian chart. */
export const AXIS = { line: "#d9d9d9", label: "#8c8c8c", split: "#f0f0f0" };

/** White → brand red, for heat-maps and revenue shading. */
export const HEAT = ["#fff1f0", "#ffccc7", "#ff7875", "#e02e24", "#a8071a"];

/** A colour on the HEAT scale for a value between 0 and 1. */
export function heatColor(ratio: number): string {
  const r = Math.min(1, Math.max(0, ratio)) * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(r));
  return mix(HEAT[i], HEAT[i + 1], r - i);
}

function mix(a: string, b: string, w: number): string {
  const pa = [1, 3, 5].map((k) => parseInt(a.slice(k, k + 2), 16));
  const pb = [1, 3, 5].map((k) => parseInt(b.slice(k, k + 2), 16));
  return `#${pa.map((v, k) => Math.round(v + (pb[k] - v) * w).toString(16).padStart(2, "0")).join("")}`;
}
