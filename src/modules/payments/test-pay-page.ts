import { formatYuan } from "../../platform/money.js";
import type { PaymentStatus } from "./payment-machine.js";

const STATUS_TEXT: Record<PaymentStatus, string> = {
  created: "待支付 / Waiting for payment",
  succeeded: "支付成功 / Paid",
  failed: "支付失败 / Failed",
  closed: "已关闭 / Closed",
  amount_mismatch: "金额不符，待核对 / Amount under review",
};

/** The test provider's pay page: self-contained (no external assets), works without JavaScript. */
export function testPayPage(p: { id: string; amount: number; status: PaymentStatus }): string {
  const open = p.status === "created";
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>测试支付 / Test payment</title>
<style>
  body { font-family: system-ui, -apple-system, "PingFang SC", sans-serif; margin: 0; background: #f5f5f5; color: #222; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 28px 24px; text-align: center; }
  .amount { font-size: 40px; font-weight: 600; margin: 12px 0 4px; }
  .meta { color: #888; font-size: 13px; word-break: break-all; }
  .status { margin: 16px 0; }
  button { display: block; width: 100%; padding: 14px; margin-top: 12px; font-size: 17px; border-radius: 8px; border: 0; }
  .pay { background: #07c160; color: #fff; }
  .cancel { background: #eee; color: #333; }
</style>
</head>
<body>
<main>
  <div>测试支付 · Liebian test provider</div>
  <div class="amount" data-amount="${p.amount}">${formatYuan(p.amount)}</div>
  <div class="meta">${p.id}</div>
  <div class="status" data-status="${p.status}">${STATUS_TEXT[p.status]}</div>
  ${
    open
      ? `<form method="post" action="${p.id}/confirm"><button class="pay" type="submit">确认支付 / Pay</button></form>
  <button class="cancel" type="button" onclick="history.back()">取消</button>`
      : ""
  }
</main>
</body>
</html>`;
}
