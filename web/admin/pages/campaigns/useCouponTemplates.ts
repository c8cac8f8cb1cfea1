import { useEffect, useState } from "react";
import { api } from "../../api";
import type { CursorPage } from "../../components/ServerTable";

export interface TemplateChoice {
  id: string;
  name: string;
  status: "active" | "disabled";
}

/** Coupon templates to choose from (prizes, reward rules, double-sided offers): the newest hundred. */
export function useCouponTemplates(reloadKey?: unknown): TemplateChoice[] {
  const [templates, setTemplates] = useState<TemplateChoice[]>([]);
  useEffect(() => {
    void api.get<CursorPage<TemplateChoice>>("/admin/coupon-templates", { limit: 100 }).then((p) => setTemplates(p.items), () => setTemplates([]));
  }, [reloadKey]);
  return templates;
}
