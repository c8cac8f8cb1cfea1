import { yuan } from "../../../shared/format";
import type { ChartOption } from "../../components/charts/echarts";
import { PALETTE, heatColor } from "../../components/charts/palette";
import type { TreeNodeRow } from "./types";

type T = (key: string, vars?: Record<string, string | number>) => string;
export type ColourBy = "depth" | "revenue";
export type Layout = "orthogonal" | "radial";

/** Id of the synthetic root that holds several trees (a campaign's, or the biggest ones) together. */
export const FOREST_ROOT = "forest";

/**
 * The invite trees loaded so far, keyed by user. Subtrees loaded later (a click on a node whose
 * invitees are not here yet) merge in; a node's place comes from its inviter, so order does not matter.
 */
export class InviteForest {
  readonly nodes = new Map<string, TreeNodeRow>();

  constructor(rows: TreeNodeRow[] = []) {
    for (const r of rows) this.nodes.set(r.userId, r);
  }

  add(rows: TreeNodeRow[]): InviteForest {
    const next = new InviteForest();
    for (const [id, n] of this.nodes) next.nodes.set(id, n);
    // A subtree's root comes without its inviter (it is the root of that answer): keep the known one.
    for (const r of rows) next.nodes.set(r.userId, { ...r, inviterId: r.inviterId ?? this.nodes.get(r.userId)?.inviterId ?? null });
    return next;
  }

  private index: Map<string, TreeNodeRow[]> | null = null;

  /** Invitees of `id` (or the roots, for FOREST_ROOT), the biggest inviters first. */
  childrenOf(id: string): TreeNodeRow[] {
    if (!this.index) {
      this.index = new Map();
      for (const n of this.nodes.values()) {
        const parent = n.inviterId && this.nodes.has(n.inviterId) ? n.inviterId : FOREST_ROOT;
        const kids = this.index.get(parent);
        if (kids) kids.push(n);
        else this.index.set(parent, [n]);
      }
      for (const kids of this.index.values()) kids.sort((a, b) => b.invitees - a.invitees || b.revenue - a.revenue || a.userId.localeCompare(b.userId));
    }
    return this.index.get(id) ?? [];
  }

  roots(): TreeNodeRow[] {
    return this.childrenOf(FOREST_ROOT);
  }

  /** A node whose invitees the server has counted but whose subtree is not loaded yet. */
  hasUnloaded(id: string): boolean {
    const n = this.nodes.get(id);
    return !!n && n.invitees > 0 && this.childrenOf(id).length === 0;
  }

  get maxRevenue(): number {
    return Math.max(0, ...[...this.nodes.values()].map((n) => n.revenue));
  }

  get totalRevenue(): number {
    return [...this.nodes.values()].reduce((sum, n) => sum + n.revenue, 0);
  }
}

export function nodeColour(n: TreeNodeRow, level: number, by: ColourBy, maxRevenue: number): string {
  if (by === "depth") return PALETTE[level % PALETTE.length];
  if (n.revenue <= 0 || maxRevenue <= 0) return "#d9d9d9";
  // Log scale: a few big spenders would otherwise leave everyone else the same pale pink.
  return heatColor(0.15 + (0.85 * Math.log1p(n.revenue)) / Math.log1p(maxRevenue));
}

/** Bigger circles for people who invited more; a square root keeps a 100-invitee node from covering its neighbours. */
export const nodeSize = (invitees: number) => Math.min(36, 8 + 3.2 * Math.sqrt(invitees));

/** Nodes drawn at the tips (closed or childless): the orthogonal layout gives each a row. */
export function visibleLeaves(forest: InviteForest, expanded: Set<string>): number {
  const count = (n: TreeNodeRow): number => {
    const kids = expanded.has(n.userId) ? forest.childrenOf(n.userId) : [];
    return kids.length === 0 ? 1 : kids.reduce((sum, k) => sum + count(k), 0);
  };
  return forest.roots().reduce((sum, r) => sum + count(r), 0);
}

interface DrawInput {
  forest: InviteForest;
  /** Shown open; every other node with invitees draws hollow, meaning "click to open". */
  expanded: Set<string>;
  selected: string | null;
  colourBy: ColourBy;
  layout: Layout;
  rootLabel: string;
  t: T;
}

interface TreeItem {
  id: string;
  name: string;
  value: number;
  symbolSize: number;
  itemStyle: { color: string; borderColor: string; borderWidth: number };
  label?: { fontWeight: "bold" };
  children: TreeItem[];
}

export function treeOption({ forest, expanded, selected, colourBy, layout, rootLabel, t }: DrawInput): ChartOption {
  const maxRevenue = forest.maxRevenue;
  const item = (n: TreeNodeRow, level: number): TreeItem => {
    const colour = nodeColour(n, level, colourBy, maxRevenue);
    const kids = expanded.has(n.userId) ? forest.childrenOf(n.userId) : [];
    const closed = n.invitees > 0 && kids.length === 0;
    return {
      id: n.userId,
      name: n.displayName ?? n.userId,
      value: n.revenue,
      symbolSize: nodeSize(n.invitees),
      itemStyle: { color: closed ? "#fff" : colour, borderColor: n.userId === selected ? "#262626" : colour, borderWidth: n.userId === selected ? 3 : 2 },
      ...(n.userId === selected ? { label: { fontWeight: "bold" as const } } : {}),
      children: kids.map((c) => item(c, level + 1)),
    };
  };
  const roots = forest.roots();
  const single = roots.length === 1;
  const data = single
    ? item(roots[0], 0)
    : {
        id: FOREST_ROOT,
        name: rootLabel,
        value: forest.totalRevenue,
        symbol: "roundRect",
        symbolSize: 14,
        itemStyle: { color: "#262626", borderColor: "#262626", borderWidth: 1 },
        // The card's title already names the group; in rings the label would sit on the roots' names.
        label: { show: layout === "orthogonal" },
        children: roots.map((r) => item(r, 0)),
      };
  const radial = layout === "radial";
  return {
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const id = (p as unknown as { data: { id: string } }).data.id;
        const n = forest.nodes.get(id);
        if (!n) return `<b>${rootLabel}</b><br/>${t("growth.tree.trees", { n: roots.length })}`;
        return `<b>${n.displayName ?? n.userId}</b><br/>${t("growth.tree.invitees")}: ${n.invitees}<br/>${t("growth.tree.revenue")}: ${yuan(n.revenue)}<br/><span style="color:#8c8c8c">${n.userId}</span>`;
      },
    },
    series: [
      {
        type: "tree",
        data: [data],
        layout,
        orient: "LR",
        roam: true,
        scaleLimit: { min: 0.3, max: 4 },
        expandAndCollapse: false,
        top: radial ? 56 : 24,
        bottom: radial ? 56 : 24,
        left: radial ? 72 : 96,
        right: radial ? 72 : 140,
        symbol: "circle",
        edgeShape: radial ? "curve" : "polyline",
        lineStyle: { color: "#d9d9d9", width: 1.2, curveness: 0.5 },
        label: radial
          ? { fontSize: 11, color: "#434343" }
          : { position: "left", verticalAlign: "middle", align: "right", fontSize: 12, color: "#434343", distance: 6 },
        leaves: { label: radial ? {} : { position: "right", verticalAlign: "middle", align: "left" } },
        emphasis: { focus: "ancestor" },
        animationDuration: 450,
        animationDurationUpdate: 550,
      },
    ],
  };
}
