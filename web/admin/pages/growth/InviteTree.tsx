import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Input, InputNumber, List, Progress, Row, Segmented, Select, Space, Spin, Table, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { ApiError } from "../../../shared/api";
import { yuan } from "../../../shared/format";
import { useI18n } from "../../../shared/i18n";
import { api } from "../../api";
import type { ECElementEvent } from "../../components/charts/echarts";
import { EChart } from "../../components/charts/EChart";
import { HEAT, PALETTE } from "../../components/charts/palette";
import { lastDays, useServerToday } from "./clock";
import { type DayRange, DateRangeFilter } from "./controls";
import { type ColourBy, FOREST_ROOT, InviteForest, type Layout, treeOption, visibleLeaves } from "./inviteForest";
import { named } from "./labels";
import type { TreeNodeRow } from "./types";
import { useReport } from "./useReport";

const PHONE = /^1[3-9]\d{9}$/;
const USER_ID = /^usr_[0-9A-Za-z]+$/;
/** Levels opened on arrival: the root's invitees and theirs; deeper levels open on a click. */
const OPEN_LEVELS = 2;
/** A tree this small arrives fully open. */
const OPEN_ALL = 80;
/** Pixels per row of the orthogonal layout, so names at the tips do not overlap. */
const ROW = 20;
/** Levels fetched when a click opens a node whose invitees are not loaded yet. */
const SUBTREE_DEPTH = 3;

interface ReferralPlace {
  userId: string;
  displayName: string;
  depth: number;
  pathToRoot: { userId: string; displayName: string }[];
  invitees: number;
  descendants: number;
  byLevel: { level: number; count: number }[];
}

/**
 * The invite tree (邀请关系图) of a user, of a campaign, or, with neither chosen, the biggest trees.
 * Zoom and pan with the wheel and the mouse; a click selects a node and opens or closes it, fetching
 * its subtree when it was not loaded with the first answer.
 */
export default function InviteTree() {
  const today = useServerToday();
  if (!today) return <Spin style={{ margin: 80 }} />;
  return <InviteTreeExplorer today={today} />;
}

function InviteTreeExplorer({ today }: { today: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const userId = params.get("user");
  const campaignId = params.get("campaign");
  const [depth, setDepth] = useState(4);
  /** Revenue is what each person's own orders paid in these days. */
  const [range, setRange] = useState<DayRange>(() => lastDays(today, 30));
  const [colourBy, setColourBy] = useState<ColourBy>("depth");
  // A single tree reads best as rings around its root; several trees side by side as rows.
  const [chosenLayout, setLayout] = useState<Layout | null>(null);
  const layout = chosenLayout ?? (userId ? "radial" : "orthogonal");
  const [forest, setForest] = useState(() => new InviteForest());
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState(userId ?? "");
  const campaigns = useReport<{ rows: { campaignId: string; name: string | null; campaignType: string }[] }>("/admin/analytics/campaigns", {});

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    api
      .get<{ nodes: TreeNodeRow[]; truncated: boolean }>("/admin/analytics/invite-tree", { rootUserId: userId, campaignId, depth, from: range[0], to: range[1] })
      .then((r) => {
        if (!live) return;
        const loaded = new InviteForest(r.nodes);
        setForest(loaded);
        // Several trees side by side open one level less, so each root keeps room for its name.
        setExpanded(loaded.nodes.size <= OPEN_ALL ? new Set(loaded.nodes.keys()) : openLevels(loaded, userId ? OPEN_LEVELS : OPEN_LEVELS - 1));
        setTruncated(r.truncated);
        setSelected(userId);
      })
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [userId, campaignId, depth, range]);

  const campaignName = campaigns.data?.rows.find((c) => c.campaignId === campaignId)?.name;
  const rootLabel = campaignId ? (campaignName ?? campaignId) : t("growth.tree.biggest");
  const height = layout === "radial" ? 640 : Math.min(2000, Math.max(480, visibleLeaves(forest, expanded) * ROW + 60));
  const option = useMemo(() => treeOption({ forest, expanded, selected, colourBy, layout, rootLabel, t }), [forest, expanded, selected, colourBy, layout, rootLabel, t]);

  const open = async (id: string) => {
    setSelected(id);
    const node = forest.nodes.get(id);
    if (!node || node.invitees === 0) return;
    if (forest.hasUnloaded(id)) {
      try {
        const r = await api.get<{ nodes: TreeNodeRow[] }>("/admin/analytics/invite-tree", { rootUserId: id, campaignId, depth: SUBTREE_DEPTH, from: range[0], to: range[1] });
        setForest((f) => f.add(r.nodes));
        setExpanded((s) => new Set(s).add(id));
      } catch (e) {
        void message.error(e instanceof ApiError ? e.message : String(e));
      }
      return;
    }
    setExpanded((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  const onClick = (e: ECElementEvent) => {
    const id = (e.data as { id?: string } | undefined)?.id;
    if (id && id !== FOREST_ROOT) void open(id);
  };

  const find = async (text: string) => {
    const q = text.trim();
    if (!q) return setParams({});
    if (USER_ID.test(q)) return setParams({ user: q });
    if (!PHONE.test(q)) return void message.warning(t("growth.tree.searchHint"));
    try {
      const user = await api.get<{ id: string }>("/admin/users/lookup", { phone: q });
      setParams({ user: user.id });
    } catch (e) {
      void message.error(e instanceof ApiError && e.status === 404 ? t("growth.tree.notFound") : e instanceof Error ? e.message : String(e));
    }
  };

  const scope = userId ? "user" : campaignId ? "campaign" : "biggest";
  return (
    <Flex vertical gap={16} data-testid="growth-invite-tree">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("nav.inviteTree")}
        </Typography.Title>
        <Space wrap>
          <Input.Search
            data-testid="tree-search"
            allowClear
            style={{ width: 260 }}
            placeholder={t("growth.tree.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => void find(v)}
            enterButton
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            data-testid="tree-campaign"
            style={{ width: 220 }}
            placeholder={t("growth.filter.campaign")}
            value={campaignId ?? undefined}
            onChange={(v?: string) => {
              setSearch("");
              setParams(v ? { campaign: v } : {});
            }}
            options={(campaigns.data?.rows ?? []).map((c) => ({ value: c.campaignId, label: `${named(t, "campaignType", c.campaignType)} · ${c.name ?? c.campaignId}` }))}
          />
          <Typography.Text type="secondary">{t("growth.tree.revenueRange")}</Typography.Text>
          <DateRangeFilter value={range} today={today} onChange={setRange} />
          <InputNumber data-testid="tree-depth" min={1} max={10} value={depth} onChange={(v) => v && setDepth(v)} prefix={t("growth.tree.depth")} style={{ width: 120 }} />
        </Space>
      </Flex>
      {error && <Alert type="error" showIcon title={error} />}
      {truncated && <Alert type="info" showIcon title={t("growth.tree.truncated", { n: forest.nodes.size })} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            size="small"
            title={
              <Space>
                <span>{t(`growth.tree.scope.${scope}`, { name: rootLabel })}</span>
                <Tag>{t("growth.tree.people", { n: forest.nodes.size })}</Tag>
                <Tag color="red">{t("growth.tree.revenueTotal", { amount: yuan(forest.totalRevenue) })}</Tag>
              </Space>
            }
            extra={
              <Space>
                <Segmented<ColourBy> size="small" data-testid="tree-colour" value={colourBy} onChange={setColourBy} options={[{ value: "depth", label: t("growth.tree.byDepth") }, { value: "revenue", label: t("growth.tree.byRevenue") }]} />
                <Segmented<Layout> size="small" data-testid="tree-layout" value={layout} onChange={setLayout} options={[{ value: "radial", label: t("growth.tree.radial") }, { value: "orthogonal", label: t("growth.tree.orthogonal") }]} />
              </Space>
            }
          >
            <EChart key={layout} testId="chart-invite-tree" option={option} merge height={height} loading={loading} empty={forest.nodes.size === 0} emptyText={t("growth.empty.tree")} onClick={onClick} />
            {forest.nodes.size > 0 && <Legend colourBy={colourBy} levels={levelCount(forest)} />}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          {selected ? (
            <NodePanel id={selected} node={forest.nodes.get(selected)} onRoot={(id) => { setSearch(id); setParams({ user: id }); }} onClose={() => setSelected(null)} />
          ) : (
            <RootList title={t(campaignId ? "growth.tree.campaignRoots" : "growth.tree.topRoots")} roots={forest.roots()} onPick={(id) => { setSearch(id); setParams({ user: id }); }} />
          )}
        </Col>
      </Row>
    </Flex>
  );
}

/** Ids of the nodes within `levels` of their tree's root. */
function openLevels(forest: InviteForest, levels: number): Set<string> {
  const open = new Set<string>();
  let level = forest.roots();
  for (let i = 0; i < levels && level.length; i++) {
    level.forEach((n) => open.add(n.userId));
    level = level.flatMap((n) => forest.childrenOf(n.userId));
  }
  return open;
}

function levelCount(forest: InviteForest): number {
  let level = forest.roots();
  let n = 0;
  while (level.length) {
    n += 1;
    level = level.flatMap((x) => forest.childrenOf(x.userId));
  }
  return n;
}

function Legend({ colourBy, levels }: { colourBy: ColourBy; levels: number }) {
  const { t } = useI18n();
  return (
    <Flex gap={16} align="center" wrap style={{ fontSize: 12, color: "#8c8c8c", paddingTop: 8 }}>
      {colourBy === "depth" ? (
        Array.from({ length: Math.min(levels, PALETTE.length) }, (_, i) => (
          <Space key={i} size={4}>
            <span style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: PALETTE[i] }} />
            {i === 0 ? t("growth.tree.root") : t("growth.tree.level", { n: i })}
          </Space>
        ))
      ) : (
        <Space size={6}>
          {t("growth.tree.revenueLow")}
          <span style={{ display: "inline-block", width: 120, height: 10, borderRadius: 5, background: `linear-gradient(90deg, ${HEAT.join(",")})` }} />
          {t("growth.tree.revenueHigh")}
          <span style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: "#d9d9d9", marginInlineStart: 8 }} />
          {t("growth.tree.noRevenue")}
        </Space>
      )}
      <span>{t("growth.tree.howTo")}</span>
    </Flex>
  );
}

function NodePanel({ id, node, onRoot, onClose }: { id: string; node: TreeNodeRow | undefined; onRoot(id: string): void; onClose(): void }) {
  const { t } = useI18n();
  const place = useReport<ReferralPlace>(`/admin/users/${id}/invite-tree`, { depth: 1 });
  const p = place.data;
  const deepest = Math.max(1, ...(p?.byLevel ?? []).map((l) => l.count));
  return (
    <Card size="small" title={node?.displayName ?? p?.displayName ?? id} loading={place.loading && !p} extra={<Button size="small" type="text" onClick={onClose}>{t("growth.tree.close")}</Button>} data-testid="tree-node-panel">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t("growth.tree.userId")}>
          <Typography.Text copyable style={{ fontSize: 12 }}>
            {id}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("growth.tree.invitees")}>{node?.invitees ?? p?.invitees ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("growth.tree.descendants")}>{p?.descendants ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("growth.tree.revenue")}>{yuan(node?.revenue)}</Descriptions.Item>
        <Descriptions.Item label={t("growth.tree.depthOf")}>{p ? p.depth : "—"}</Descriptions.Item>
      </Descriptions>
      {p && p.pathToRoot.length > 0 && (
        <>
          <Typography.Text type="secondary">{t("growth.tree.invitedBy")}</Typography.Text>
          <List
            size="small"
            dataSource={p.pathToRoot}
            renderItem={(a, i) => (
              <List.Item style={{ paddingInline: 0 }}>
                <Typography.Link onClick={() => onRoot(a.userId)}>{"↑".repeat(i + 1)} {a.displayName || a.userId}</Typography.Link>
              </List.Item>
            )}
          />
        </>
      )}
      {p && p.byLevel.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t("growth.tree.byLevel")}</Typography.Text>
          {p.byLevel.map((l) => (
            <Flex key={l.level} gap={8} align="center">
              <span style={{ width: 56, fontSize: 12 }}>{t("growth.tree.level", { n: l.level })}</span>
              <Progress percent={(100 * l.count) / deepest} showInfo={false} size="small" strokeColor={PALETTE[l.level % PALETTE.length]} style={{ flex: 1, margin: 0 }} />
              <span style={{ width: 40, textAlign: "right", fontSize: 12 }}>{l.count}</span>
            </Flex>
          ))}
        </div>
      )}
      <Button block type="primary" ghost style={{ marginTop: 12 }} onClick={() => onRoot(id)} data-testid="tree-make-root">
        {t("growth.tree.makeRoot")}
      </Button>
    </Card>
  );
}

function RootList({ title, roots, onPick }: { title: string; roots: TreeNodeRow[]; onPick(id: string): void }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={title}>
      {roots.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("growth.empty.tree")} />
      ) : (
        <Table<TreeNodeRow>
          size="small"
          rowKey="userId"
          pagination={false}
          dataSource={roots.slice(0, 12)}
          onRow={(r) => ({ onClick: () => onPick(r.userId), style: { cursor: "pointer" } })}
          columns={[
            { title: t("growth.board.user"), dataIndex: "displayName", render: (n: string | null, r) => <Typography.Link>{n ?? r.userId}</Typography.Link> },
            { title: t("growth.tree.invitees"), dataIndex: "invitees", align: "right" },
            { title: t("growth.tree.revenue"), dataIndex: "revenue", align: "right", render: yuan },
          ]}
        />
      )}
    </Card>
  );
}
