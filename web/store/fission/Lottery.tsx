import { type ReactNode, useRef, useState } from "react";
import { useParams } from "react-router";
import Button from "antd-mobile/es/components/button";
import Modal from "antd-mobile/es/components/modal";
import Toast from "antd-mobile/es/components/toast";
import { CollectMoneyOutline, CouponOutline, GiftOutline, PayCircleOutline, SmileOutline } from "antd-mobile-icons";
import { idempotencyKey } from "../../shared/api";
import { shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { useSession } from "../session";
import { Card, LoadState, PRICE_RED, useErrorText, useLoad, useRequireUser } from "./kit";
import { ShareSheet } from "./ShareSheet";

interface Prize {
  id: string;
  position: number;
  kind: "coupon" | "points" | "cash" | "goods" | "thanks";
  name: string;
  probabilityBp: number;
  amount: number | null;
  inStock: boolean;
}

interface LotteryView {
  id: string;
  title: string;
  open: boolean;
  endsAt: string;
  dailyFreeChances: number;
  shareChancesPerDay: number;
  seedHash: string;
  prizes: Prize[];
  questions: Array<{ id: string; prompt: string; options: string[] }>;
}

interface Chances {
  free: number;
  earned: number;
  left: number;
  shareChancesLeft: number;
}

interface Draw {
  id: string;
  outcome: "won" | "thanks";
  prize: { id: string; position: number; kind: Prize["kind"]; name: string; amount: number | null };
  fallback: "out_of_stock" | "over_budget" | null;
  createdAt: string;
}

const PRIZE_ICONS: Record<Prize["kind"], ReactNode> = { thanks: <SmileOutline />, cash: <PayCircleOutline />, points: <CollectMoneyOutline />, coupon: <CouponOutline />, goods: <GiftOutline /> };
const SLICE_COLORS = ["#ffd8bf", "#fff1b8"];
const SPIN_MS = 4200;

/** The lucky wheel (大转盘): daily chances, more from sharing and the quiz; the wheel lands on the drawn prize. */
export default function Lottery() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const { user } = useSession();
  const requireUser = useRequireUser();
  const errorText = useErrorText();
  const { data: lottery, error } = useLoad(() => api.get<LotteryView>(`/lottery/${id}`), [id]);
  const { data: mine, reload: reloadMine } = useLoad(
    () => (user ? api.get<{ chances: Chances; draws: Draw[] }>(`/lottery/${id}/me`) : Promise.resolve(null)),
    [id, user?.id],
  );
  const [turn, setTurn] = useState(0);
  const [spinning, setSpinning] = useState(false);
  const [result, setResult] = useState<Draw | null>(null);
  const [sharing, setSharing] = useState(false);
  const earnedByShare = useRef(false);

  if (!lottery) return <Page title={t("lottery.title")}>{<LoadState error={error} />}</Page>;
  const prizes = [...lottery.prizes].sort((a, b) => a.position - b.position);
  const slice = 360 / prizes.length;

  const spin = async () => {
    if (!requireUser() || spinning) return;
    setSpinning(true);
    try {
      const draw = await api.post<Draw>(`/lottery/${id}/draw`, {}, { idempotencyKey: idempotencyKey() });
      const index = prizes.findIndex((p) => p.id === draw.prize.id);
      // The pointer is at the top: turn so the drawn slice's middle comes under it, after five full turns.
      const target = 360 - (index * slice + slice / 2);
      setTurn((current) => current - (current % 360) + 5 * 360 + target);
      setTimeout(() => {
        setSpinning(false);
        setResult(draw);
        void reloadMine();
      }, SPIN_MS);
    } catch (e) {
      setSpinning(false);
      Toast.show({ content: errorText(e) });
    }
  };

  const earnShareChance = async () => {
    if (earnedByShare.current) return;
    earnedByShare.current = true;
    try {
      await api.post(`/lottery/${id}/chances/share`, {}, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: "success", content: t("lottery.shareEarned") });
      await reloadMine();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };

  const answer = async (questionId: string, option: number) => {
    if (!requireUser()) return;
    try {
      const r = await api.post<{ correct: boolean }>(`/lottery/${id}/quiz/${questionId}/answer`, { option }, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: r.correct ? "success" : "fail", content: r.correct ? t("lottery.quizRight") : t("lottery.quizWrong") });
      await reloadMine();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };

  const gradient = prizes.map((_, i) => `${SLICE_COLORS[i % 2]} ${i * slice}deg ${(i + 1) * slice}deg`).join(", ");

  return (
    <Page title={lottery.title}>
      <div style={{ background: "linear-gradient(180deg,#e02e24,#ff7a45)", padding: "20px 0 26px", textAlign: "center" }}>
        <div style={{ color: "#fff", fontSize: 20, fontWeight: 700 }}>{lottery.title}</div>
        <div style={{ color: "#ffe7ba", fontSize: 13, margin: "4px 0 16px" }} data-testid="lottery-chances">
          {mine ? t("lottery.chancesLeft", { n: mine.chances.left }) : t("lottery.freeDaily", { n: lottery.dailyFreeChances })}
        </div>
        <div style={{ position: "relative", width: 300, height: 300, margin: "0 auto" }}>
          <div
            data-testid="lottery-wheel"
            style={{
              width: 300,
              height: 300,
              borderRadius: "50%",
              border: "8px solid #ffd666",
              boxSizing: "border-box",
              background: `conic-gradient(${gradient})`,
              transform: `rotate(${turn}deg)`,
              transition: spinning ? `transform ${SPIN_MS}ms cubic-bezier(0.17, 0.67, 0.12, 0.99)` : "none",
              position: "relative",
              boxShadow: "0 6px 18px rgba(0,0,0,.2)",
            }}
          >
            {prizes.map((p, i) => (
              <div
                key={p.id}
                style={{ position: "absolute", left: "50%", top: 0, height: "50%", width: 80, marginLeft: -40, transformOrigin: "50% 100%", transform: `rotate(${i * slice + slice / 2}deg)`, textAlign: "center", paddingTop: 18, boxSizing: "border-box" }}
              >
                <div style={{ fontSize: 12, fontWeight: 600, color: p.inStock ? "#a8071a" : "#bbb", lineHeight: 1.2 }}>{p.name}</div>
                <div style={{ fontSize: 18, marginTop: 4 }}>{PRIZE_ICONS[p.kind]}</div>
              </div>
            ))}
          </div>
          <div style={{ position: "absolute", left: "50%", top: -10, marginLeft: -12, width: 0, height: 0, borderLeft: "12px solid transparent", borderRight: "12px solid transparent", borderTop: "26px solid #fff", filter: "drop-shadow(0 2px 2px rgba(0,0,0,.3))" }} />
          <button
            data-testid="lottery-spin"
            disabled={!lottery.open || spinning || (mine !== null && mine.chances.left === 0)}
            onClick={() => void spin()}
            style={{ position: "absolute", left: "50%", top: "50%", width: 84, height: 84, margin: "-42px 0 0 -42px", borderRadius: "50%", border: "4px solid #fff", background: lottery.open ? PRICE_RED : "#999", color: "#fff", fontSize: 18, fontWeight: 700, boxShadow: "0 4px 10px rgba(0,0,0,.25)" }}
          >
            {lottery.open ? t("lottery.go") : t("lottery.closed")}
          </button>
        </div>
      </div>

      <Card>
        <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
          <div>
            <div style={{ fontWeight: 600 }}>{t("lottery.shareForMore")}</div>
            <div style={{ color: "#999", fontSize: 12 }}>{t("lottery.shareRule", { n: lottery.shareChancesPerDay, left: mine?.chances.shareChancesLeft ?? lottery.shareChancesPerDay })}</div>
          </div>
          <Button
            size="small"
            color="danger"
            shape="rounded"
            style={{ flex: "none", marginLeft: 10 }}
            data-testid="lottery-share"
            onClick={() => {
              if (!requireUser()) return;
              earnedByShare.current = false;
              setSharing(true);
            }}
          >
            {t("lottery.goShare")}
          </Button>
        </div>
      </Card>

      {lottery.questions.length > 0 && (
        <Card testId="lottery-quiz">
          <div style={{ fontWeight: 600, marginBottom: 4 }}>{t("lottery.quiz")}</div>
          <div style={{ color: "#999", fontSize: 12, marginBottom: 8 }}>{t("lottery.quizRule")}</div>
          {lottery.questions.map((q) => (
            <div key={q.id} style={{ padding: "8px 0", borderTop: "1px solid #f5f5f5" }}>
              <div style={{ fontSize: 14, marginBottom: 8 }}>{q.prompt}</div>
              <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
                {q.options.map((o, i) => (
                  <Button key={i} size="mini" shape="rounded" data-testid={`lottery-answer-${q.id}-${i}`} onClick={() => void answer(q.id, i)}>
                    {o}
                  </Button>
                ))}
              </div>
            </div>
          ))}
        </Card>
      )}

      <Card testId="lottery-prizes">
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("lottery.prizes")}</div>
        {prizes.map((p) => (
          <div key={p.id} style={{ display: "flex", justifyContent: "space-between", fontSize: 13, padding: "6px 0", color: p.inStock ? "#333" : "#bbb" }}>
            <span>{p.name}</span>
            <span>
              {(p.probabilityBp / 100).toFixed(2)}%{!p.inStock && ` · ${t("lottery.outOfStock")}`}
            </span>
          </div>
        ))}
        <div style={{ color: "#bbb", fontSize: 10, marginTop: 8, wordBreak: "break-all" }}>{t("lottery.fair", { hash: lottery.seedHash })}</div>
      </Card>

      {mine && mine.draws.length > 0 && (
        <Card testId="lottery-my-draws">
          <div style={{ fontWeight: 600, marginBottom: 6 }}>{t("lottery.myDraws")}</div>
          {mine.draws.map((d) => (
            <div key={d.id} style={{ display: "flex", justifyContent: "space-between", fontSize: 13, padding: "6px 0", borderTop: "1px solid #f5f5f5" }}>
              <span style={{ color: d.outcome === "won" ? PRICE_RED : "#999" }}>{d.prize.name}</span>
              <span style={{ color: "#aaa" }}>{shanghaiTime(d.createdAt)}</span>
            </div>
          ))}
        </Card>
      )}

      <Modal
        visible={!!result}
        closeOnMaskClick
        onClose={() => setResult(null)}
        content={
          result && (
            <div style={{ textAlign: "center" }} data-testid={`lottery-result-${result.outcome}`}>
              <div style={{ fontSize: 48, color: result.outcome === "won" ? PRICE_RED : "#999" }}>{result.outcome === "won" ? <GiftOutline /> : <SmileOutline />}</div>
              <div style={{ fontSize: 18, fontWeight: 600, margin: "8px 0" }}>{result.outcome === "won" ? t("lottery.won", { name: result.prize.name }) : t("lottery.thanks")}</div>
              <div style={{ color: "#666", fontSize: 13 }}>
                {result.outcome === "won"
                  ? t(`lottery.wonHint.${result.prize.kind}`, { amount: result.prize.kind === "cash" ? yuan(result.prize.amount) : String(result.prize.amount ?? "") })
                  : result.fallback
                    ? t("lottery.ranOut")
                    : t("lottery.tryAgain")}
              </div>
            </div>
          )
        }
        actions={[{ key: "ok", text: t("lottery.ok"), primary: true, onClick: () => setResult(null) }]}
      />
      <ShareSheet visible={sharing} onClose={() => setSharing(false)} target={{ type: "campaign", id: lottery.id, campaignId: lottery.id }} title={lottery.title} onShared={() => void earnShareChance()} />
    </Page>
  );
}
