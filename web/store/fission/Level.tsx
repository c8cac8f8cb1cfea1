import ProgressBar from "antd-mobile/es/components/progress-bar";
import Tag from "antd-mobile/es/components/tag";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { RequireLogin } from "../components/RequireLogin";
import { Card, LoadState, useLoad } from "./kit";

interface Level {
  code: string;
  name: string;
  threshold: number;
  memberPrice: boolean;
  freeShipping: boolean;
}

const COLORS = ["#8c8c8c", "#8a9bb0", "#d4a017", "#6f5cff"];

/** My member level (会员等级): growth value, the next level, and what each level gives. */
export default function LevelPage() {
  const { t } = useI18n();
  return (
    <Page title={t("level.title")}>
      <RequireLogin>
        <LevelBody />
      </RequireLogin>
    </Page>
  );
}

function LevelBody() {
  const { t } = useI18n();
  const { data, error } = useLoad(async () => {
    const [mine, levels] = await Promise.all([api.get<{ level: Level; growth: number; next: Level | null }>("/me/level"), api.get<Level[]>("/member-levels")]);
    return { ...mine, levels };
  }, []);
  if (!data) return <LoadState error={error} />;
  const index = data.levels.findIndex((l) => l.code === data.level.code);
  const color = COLORS[Math.min(index, COLORS.length - 1)] ?? COLORS[0];
  const span = data.next ? data.next.threshold - data.level.threshold : 1;
  const progress = data.next ? Math.min(100, Math.round(((data.growth - data.level.threshold) / span) * 100)) : 100;
  const benefits = (l: Level) => [l.memberPrice && t("level.memberPrice"), l.freeShipping && t("level.freeShipping")].filter(Boolean) as string[];

  return (
    <>
      <div style={{ padding: 16 }}>
        <div style={{ background: `linear-gradient(135deg, ${color}, #2b2b2b)`, color: "#fff", borderRadius: 14, padding: "20px 18px", boxShadow: "0 6px 16px rgba(0,0,0,.15)" }}>
          <div style={{ fontSize: 13, opacity: 0.85 }}>{t("level.current")}</div>
          <div data-testid="level-name" style={{ fontSize: 28, fontWeight: 700, margin: "4px 0 12px" }}>{data.level.name}</div>
          <ProgressBar percent={progress} style={{ "--track-color": "rgba(255,255,255,.25)", "--fill-color": "#ffd666" } as never} />
          <div style={{ display: "flex", justifyContent: "space-between", fontSize: 12, marginTop: 6, opacity: 0.9 }}>
            <span data-testid="level-growth">{t("level.growth", { n: data.growth })}</span>
            <span>{data.next ? t("level.toNext", { n: data.next.threshold - data.growth, name: data.next.name }) : t("level.top")}</span>
          </div>
        </div>
      </div>
      <Card>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("level.howToGrow")}</div>
        <div style={{ color: "#666", fontSize: 13, lineHeight: 1.8 }}>{t("level.growHint")}</div>
      </Card>
      <Card testId="level-table">
        <div style={{ fontWeight: 600, marginBottom: 4 }}>{t("level.benefits")}</div>
        {data.levels.map((l, i) => (
          <div key={l.code} style={{ display: "flex", alignItems: "center", gap: 10, padding: "12px 0", borderTop: "1px solid #f5f5f5" }}>
            <div style={{ width: 36, height: 36, borderRadius: 18, background: COLORS[Math.min(i, COLORS.length - 1)], color: "#fff", display: "flex", alignItems: "center", justifyContent: "center", fontWeight: 700 }}>
              {[...l.name][0]}
            </div>
            <div style={{ flex: 1 }}>
              <div style={{ fontWeight: 600 }}>
                {l.name} {l.code === data.level.code && <Tag color="danger" fill="outline">{t("level.you")}</Tag>}
              </div>
              <div style={{ color: "#999", fontSize: 12 }}>{t("level.threshold", { n: l.threshold })}</div>
            </div>
            <div style={{ textAlign: "right", fontSize: 12, color: "#666" }}>
              {benefits(l).length === 0 ? t("level.basic") : benefits(l).map((b) => <div key={b}>{b}</div>)}
            </div>
          </div>
        ))}
      </Card>
    </>
  );
}
