import { useEffect, useState } from "react";
import Button from "antd-mobile/es/components/button";
import Checkbox from "antd-mobile/es/components/checkbox";
import ErrorBlock from "antd-mobile/es/components/error-block";
import Input from "antd-mobile/es/components/input";
import Popup from "antd-mobile/es/components/popup";
import Result from "antd-mobile/es/components/result";
import Tabs from "antd-mobile/es/components/tabs";
import Tag from "antd-mobile/es/components/tag";
import Toast from "antd-mobile/es/components/toast";
import { ApiError, idempotencyKey } from "../../shared/api";
import { shanghaiDate, shanghaiTime, yuan } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";
import { Page } from "../components/Page";
import { RequireLogin } from "../components/RequireLogin";
import { useSession } from "../session";
import { Avatar, Card, LoadState, PRICE_RED, useErrorText, useLoad } from "./kit";
import { useDrawnPoster } from "./poster";

interface Centre {
  status: "none" | "pending" | "approved" | "rejected";
  link: string;
  pending: number;
  frozen: number;
  available: number;
  withdrawing: number;
  withdrawn: number;
  customers: number;
  /** fee = floor(amount × feeBp / 10 000), as the server charges it. */
  withdrawal: { minimum: number; feeBp: number };
}

interface Commission {
  id: string;
  orderId: string;
  buyer: string;
  level: number;
  base: number;
  amount: number;
  kept: number;
  status: "pending" | "flagged" | "frozen" | "available" | "rejected" | "cancelled";
  createdAt: string;
}

interface Withdrawal {
  id: string;
  amount: number;
  fee: number;
  net: number;
  status: "requested" | "approved" | "rejected" | "paid" | "failed";
  note: string | null;
  createdAt: string;
}

interface Customer {
  id: string;
  displayName: string;
  source: string;
  boundAt: string;
  expiresAt: string;
}

const COMMISSION_COLOR: Record<Commission["status"], string> = { pending: "warning", flagged: "warning", frozen: "primary", available: "success", rejected: "default", cancelled: "default" };
const WITHDRAWAL_COLOR: Record<Withdrawal["status"], string> = { requested: "warning", approved: "primary", paid: "success", rejected: "default", failed: "danger" };

/** The promoter centre (分销中心): apply; earnings pending, frozen and available; commissions, withdrawals, customers, my poster. */
export default function Promoter() {
  const { t } = useI18n();
  return (
    <Page title={t("promoter.title")}>
      <RequireLogin>
        <PromoterBody />
      </RequireLogin>
    </Page>
  );
}

function PromoterBody() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => api.get<Centre>("/me/promoter"), []);
  if (!data) return <LoadState error={error} />;
  if (data.status === "approved") return <Approved centre={data} reload={reload} />;
  if (data.status === "pending") return <Result status="waiting" title={t("promoter.pendingTitle")} description={t("promoter.pendingHint")} />;
  return <Apply rejected={data.status === "rejected"} onApplied={reload} />;
}

function Apply({ rejected, onApplied }: { rejected: boolean; onApplied(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    try {
      const r = await api.post<{ status: string }>("/distribution/apply", { acceptTerms: true });
      Toast.show({ icon: "success", content: r.status === "approved" ? t("promoter.approvedNow") : t("promoter.applied") });
      onApplied();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div style={{ background: "linear-gradient(160deg,#2f54eb,#722ed1)", color: "#fff", padding: "28px 20px", textAlign: "center" }}>
        <div style={{ fontSize: 22, fontWeight: 700 }}>{t("promoter.pitch")}</div>
        <div style={{ fontSize: 13, opacity: 0.9, marginTop: 8 }}>{t("promoter.pitchSub")}</div>
      </div>
      <Card>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t("promoter.howItWorks")}</div>
        <div style={{ color: "#666", fontSize: 13, lineHeight: 1.9 }}>
          <div>1. {t("promoter.rule1")}</div>
          <div>2. {t("promoter.rule2")}</div>
          <div>3. {t("promoter.rule3")}</div>
          <div>4. {t("promoter.rule4")}</div>
        </div>
      </Card>
      {rejected && <div style={{ color: PRICE_RED, textAlign: "center", marginTop: 12, fontSize: 13 }}>{t("promoter.rejected")}</div>}
      <div style={{ padding: 16 }}>
        <Checkbox checked={accepted} onChange={setAccepted} data-testid="promoter-accept" style={{ "--icon-size": "18px", "--font-size": "13px" } as never}>
          {t("promoter.terms")}
        </Checkbox>
        <Button block color="danger" shape="rounded" size="large" style={{ marginTop: 14 }} disabled={!accepted} loading={busy} data-testid="promoter-apply" onClick={() => void apply()}>
          {t("promoter.apply")}
        </Button>
      </div>
    </>
  );
}

function Approved({ centre, reload }: { centre: Centre; reload(): Promise<void> }) {
  const { t } = useI18n();
  const [tab, setTab] = useState("commissions");
  const [withdrawing, setWithdrawing] = useState(false);
  const [poster, setPoster] = useState(false);
  const [version, setVersion] = useState(0);
  const refresh = async () => {
    await reload();
    setVersion((v) => v + 1);
  };
  return (
    <>
      <div style={{ background: "linear-gradient(160deg,#2f54eb,#722ed1)", color: "#fff", padding: "20px 16px 22px" }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "flex-start" }}>
          <div>
            <div style={{ fontSize: 13, opacity: 0.85 }}>{t("promoter.available")}</div>
            <div data-testid="promoter-available" style={{ fontSize: 34, fontWeight: 700, margin: "4px 0" }}>{yuan(centre.available)}</div>
          </div>
          <Button size="small" shape="rounded" data-testid="promoter-withdraw" disabled={centre.available <= 0} onClick={() => setWithdrawing(true)}>
            {t("promoter.withdraw")}
          </Button>
        </div>
        <div style={{ display: "flex", marginTop: 14, fontSize: 12, textAlign: "center" }}>
          {(
            [
              ["pending", centre.pending],
              ["frozen", centre.frozen],
              ["withdrawing", centre.withdrawing],
              ["withdrawn", centre.withdrawn],
            ] as const
          ).map(([k, v]) => (
            <div key={k} style={{ flex: 1 }}>
              <div data-testid={`promoter-${k}`} style={{ fontSize: 16, fontWeight: 600 }}>{yuan(v)}</div>
              <div style={{ opacity: 0.85 }}>{t(`promoter.money.${k}`)}</div>
            </div>
          ))}
        </div>
      </div>
      <Card style={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
        <div>
          <div style={{ fontWeight: 600 }}>{t("promoter.myLink")}</div>
          <div style={{ color: "#999", fontSize: 12 }}>{t("promoter.customersNow", { n: centre.customers })}</div>
        </div>
        <Button size="small" color="primary" shape="rounded" data-testid="promoter-poster" onClick={() => setPoster(true)}>
          {t("promoter.poster")}
        </Button>
      </Card>
      <div style={{ margin: "12px 12px 0", background: "#fff", borderRadius: 12, overflow: "hidden" }}>
        <Tabs activeKey={tab} onChange={setTab}>
          <Tabs.Tab key="commissions" title={<span data-testid="promoter-tab-commissions">{t("promoter.commissions")}</span>} />
          <Tabs.Tab key="withdrawals" title={<span data-testid="promoter-tab-withdrawals">{t("promoter.withdrawals")}</span>} />
          <Tabs.Tab key="customers" title={<span data-testid="promoter-tab-customers">{t("promoter.customers")}</span>} />
        </Tabs>
        <div style={{ padding: "0 14px 8px" }}>
          {tab === "commissions" && <Commissions version={version} />}
          {tab === "withdrawals" && <Withdrawals version={version} />}
          {tab === "customers" && <Customers />}
        </div>
      </div>
      <WithdrawSheet
        visible={withdrawing}
        available={centre.available}
        rules={centre.withdrawal}
        onClose={() => setWithdrawing(false)}
        onDone={() => {
          setWithdrawing(false);
          setTab("withdrawals");
          void refresh();
        }}
      />
      <PromoterPoster visible={poster} onClose={() => setPoster(false)} link={centre.link} />
    </>
  );
}

function Commissions({ version }: { version: number }) {
  const { t } = useI18n();
  const { data, error } = useLoad(() => api.get<{ items: Commission[] }>("/me/promoter/commissions", { limit: 50 }), [version]);
  if (!data) return <LoadState error={error} />;
  if (data.items.length === 0) return <ErrorBlock status="empty" title={t("promoter.noCommissions")} description="" />;
  return (
    <>
      {data.items.map((c) => (
        <div key={c.id} data-testid={`commission-${c.id}`} style={{ display: "flex", justifyContent: "space-between", alignItems: "center", padding: "10px 0", borderTop: "1px solid #f5f5f5" }}>
          <div>
            <div style={{ fontSize: 14 }}>
              {t("promoter.orderBy", { name: c.buyer })} <Tag fill="outline">{t("promoter.level", { n: c.level })}</Tag>
            </div>
            <div style={{ color: "#aaa", fontSize: 11, marginTop: 2 }}>
              {t("promoter.base", { amount: yuan(c.base) })} · {shanghaiTime(c.createdAt)}
            </div>
          </div>
          <div style={{ textAlign: "right" }}>
            <div style={{ color: PRICE_RED, fontWeight: 600 }}>+{yuan(c.kept)}</div>
            <Tag color={COMMISSION_COLOR[c.status]} data-testid={`commission-status-${c.id}`}>{t(`promoter.commission.${c.status}`)}</Tag>
          </div>
        </div>
      ))}
    </>
  );
}

function Withdrawals({ version }: { version: number }) {
  const { t } = useI18n();
  const { data, error } = useLoad(() => api.get<{ items: Withdrawal[] }>("/me/promoter/withdrawals", { limit: 50 }), [version], 5000);
  if (!data) return <LoadState error={error} />;
  if (data.items.length === 0) return <ErrorBlock status="empty" title={t("promoter.noWithdrawals")} description="" />;
  return (
    <>
      {data.items.map((w) => (
        <div key={w.id} data-testid={`withdrawal-${w.id}`} style={{ display: "flex", justifyContent: "space-between", alignItems: "center", padding: "10px 0", borderTop: "1px solid #f5f5f5" }}>
          <div>
            <div style={{ fontSize: 14 }}>{t("promoter.withdrawalOf", { amount: yuan(w.amount) })}</div>
            <div style={{ color: "#aaa", fontSize: 11, marginTop: 2 }}>
              {t("promoter.feeNet", { fee: yuan(w.fee), net: yuan(w.net) })} · {shanghaiTime(w.createdAt)}
            </div>
            {w.note && w.status === "rejected" && <div style={{ color: "#999", fontSize: 11 }}>{w.note}</div>}
          </div>
          <Tag color={WITHDRAWAL_COLOR[w.status]} data-testid={`withdrawal-status-${w.id}`}>{t(`promoter.withdrawal.${w.status}`)}</Tag>
        </div>
      ))}
    </>
  );
}

function Customers() {
  const { t } = useI18n();
  const { data, error } = useLoad(() => api.get<{ items: Customer[] }>("/me/promoter/customers", { limit: 50 }), []);
  if (!data) return <LoadState error={error} />;
  if (data.items.length === 0) return <ErrorBlock status="empty" title={t("promoter.noCustomers")} description="" />;
  return (
    <>
      {data.items.map((c) => (
        <div key={c.id} style={{ display: "flex", alignItems: "center", gap: 10, padding: "10px 0", borderTop: "1px solid #f5f5f5" }}>
          <Avatar name={c.displayName} size={34} color="#2f54eb" />
          <div style={{ flex: 1 }}>
            <div style={{ fontSize: 14 }}>{c.displayName}</div>
            <div style={{ color: "#aaa", fontSize: 11 }}>{t("promoter.boundUntil", { from: shanghaiDate(c.boundAt), until: shanghaiDate(c.expiresAt) })}</div>
          </div>
          <Tag fill="outline">{t(`promoter.source.${c.source}`)}</Tag>
        </div>
      ))}
    </>
  );
}

/** Withdraws available commission: an amount in yuan, sent as fen; shows the minimum, the fee and what arrives before asking. */
function WithdrawSheet({ visible, available, rules, onClose, onDone }: { visible: boolean; available: number; rules: Centre["withdrawal"]; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  useEffect(() => {
    if (visible) {
      setText((available / 100).toFixed(2));
      setKey(idempotencyKey());
    }
  }, [visible, available]);
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  const fen = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : 0;
  const valid = fen > 0 && fen >= rules.minimum && fen <= available;
  const fee = Math.floor((fen * rules.feeBp) / 10_000);
  const submit = async () => {
    setBusy(true);
    try {
      await api.post("/me/promoter/withdrawals", { amount: fen }, { idempotencyKey: key });
      Toast.show({ icon: "success", content: t("promoter.requested") });
      onDone();
    } catch (e) {
      const minimum = e instanceof ApiError && e.code === "withdrawal_below_minimum" ? (e.details as { minWithdrawal?: number } | undefined)?.minWithdrawal : undefined;
      Toast.show({ content: minimum !== undefined ? t("promoter.belowMinimum", { amount: yuan(minimum) }) : errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: "18px 16px 24px" }} data-testid="withdraw-sheet">
        <div style={{ fontSize: 16, fontWeight: 600, textAlign: "center" }}>{t("promoter.withdraw")}</div>
        <div style={{ display: "flex", alignItems: "center", borderBottom: "1px solid #eee", margin: "18px 0 6px", paddingBottom: 6 }}>
          <span style={{ fontSize: 26, fontWeight: 600, marginRight: 6 }}>¥</span>
          <Input data-testid="withdraw-amount" value={text} onChange={setText} inputMode="decimal" style={{ "--font-size": "26px" } as never} />
          <Button size="mini" fill="none" color="primary" style={{ whiteSpace: "nowrap" }} onClick={() => setText((available / 100).toFixed(2))}>
            {t("promoter.all")}
          </Button>
        </div>
        <div style={{ color: "#999", fontSize: 12 }}>{t("promoter.withdrawHint", { amount: yuan(available) })}</div>
        <div style={{ color: "#999", fontSize: 12, marginTop: 4 }} data-testid="withdraw-rules">
          {t("promoter.withdrawRules", { minimum: yuan(rules.minimum), rate: `${rules.feeBp / 100}%` })}
          {fen > 0 && ` · ${t("promoter.withdrawNet", { fee: yuan(fee), net: yuan(fen - fee) })}`}
        </div>
        <Button block color="danger" shape="rounded" size="large" style={{ marginTop: 18 }} disabled={!valid} loading={busy} data-testid="withdraw-submit" onClick={() => void submit()}>
          {t("promoter.withdrawSubmit")}
        </Button>
      </div>
    </Popup>
  );
}

/** My promoter poster: a QR code of my promoter link, which binds those who open it to me. */
function PromoterPoster({ visible, onClose, link }: { visible: boolean; onClose(): void; link: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const src = useDrawnPoster(visible ? { banner: t("promoter.posterTitle"), sharer: t("promoter.posterFrom", { name: user?.displayName ?? "" }), title: t("promoter.posterSub"), hint: t("share.posterScan"), url: link } : null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      Toast.show({ content: t("share.copied") });
    } catch {
      Toast.show({ content: t("share.copyManually") });
    }
  };
  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <div style={{ padding: 16, textAlign: "center" }} data-testid="promoter-poster-sheet">
        {src && <img src={src} alt="" data-testid="promoter-poster-image" style={{ width: 220, borderRadius: 8, boxShadow: "0 2px 12px rgba(0,0,0,.15)" }} />}
        <div style={{ color: "#888", fontSize: 13, margin: "12px 0" }}>{t("share.posterHint")}</div>
        <div data-testid="promoter-link" style={{ fontSize: 12, color: "#666", wordBreak: "break-all", background: "#f5f5f5", borderRadius: 6, padding: 8 }}>{link}</div>
        <Button block color="primary" fill="outline" shape="rounded" style={{ marginTop: 10 }} onClick={() => void copy()}>
          {t("share.copyLink")}
        </Button>
      </div>
    </Popup>
  );
}
