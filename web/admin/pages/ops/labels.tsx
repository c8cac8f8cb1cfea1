import { Tag, Typography } from "antd";
import { useI18n } from "../../../shared/i18n";
import { useProductTitle, useStoreName } from "./lookups";

/** Tag colours per state, so the same state looks the same on every page. */
const COLORS: Record<string, Record<string, string>> = {
  product: { draft: "default", on_sale: "green", off_sale: "orange" },
  order: { pending_payment: "gold", paid: "blue", partially_shipped: "cyan", shipped: "geekblue", delivered: "purple", completed: "green", cancelled: "default", closed: "red" },
  aftersale: { requested: "gold", approved: "blue", rejected: "red", awaiting_return: "cyan", returned: "geekblue", refunded: "green", reshipped: "green", repaired: "green", cancelled: "default" },
  review: { visible: "green", hidden: "default" },
  risk: { pending: "gold", approved: "green", rejected: "red" },
  shipment: { in_transit: "blue", delivered: "green" },
  payment: { created: "gold", succeeded: "green", failed: "red", closed: "default", amount_mismatch: "red" },
  refund: { pending: "gold", succeeded: "green", failed: "red" },
};

/** A state as a coloured tag with its name in the reader's language (`ops.<kind>.status.<state>`). */
export function StatusTag({ kind, status }: { kind: keyof typeof COLORS; status: string }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[kind][status] ?? "default"} data-testid={`${kind}-status`}>
      {t(`ops.${kind}.status.${status}`)}
    </Tag>
  );
}

/** Ids and codes are read character by character: monospace. */
export const MONO = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", fontSize: 12 } as const;

/** An id in monospace that copies with one click (order numbers, request ids). */
export function IdText({ id }: { id: string | null | undefined }) {
  if (!id) return <>—</>;
  return (
    <Typography.Text copyable={{ text: id }} style={MONO}>
      {id}
    </Typography.Text>
  );
}

export function StoreName({ id }: { id: string | null | undefined }) {
  const name = useStoreName(id);
  return <>{name ?? "—"}</>;
}

export function ProductTitle({ id }: { id: string }) {
  const title = useProductTitle(id);
  return <>{title ?? id}</>;
}

/** A phrase for a value the API may extend (a new entity, a new setting): the raw value when none is written yet. */
export function usePhraseOr(): (key: string, raw: string) => string {
  const { t } = useI18n();
  return (key, raw) => {
    const phrase = t(key);
    return phrase === key ? raw : phrase;
  };
}

/** {"颜色": "红", "尺码": "M"} → "红 / M". */
export const specsText = (specs: Record<string, string>) => Object.values(specs).join(" / ");

/** What an image cell shows when a product has no picture or its URL does not load. */
export const IMAGE_FALLBACK =
  "data:image/svg+xml;utf8," + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" fill="#f0f0f0"/></svg>');
