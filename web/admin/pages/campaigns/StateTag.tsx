import { Tag } from "antd";
import { useI18n } from "../../../shared/i18n";

const COLORS: Record<string, string> = {
  active: "green",
  open: "green",
  approved: "green",
  succeeded: "green",
  paid: "green",
  fulfilled: "green",
  floor_reached: "cyan",
  upcoming: "blue",
  pending: "gold",
  requested: "gold",
  bargaining: "blue",
  ordered: "purple",
  queued: "blue",
  to_fulfil: "orange",
  paused: "orange",
  disabled: "default",
  ended: "default",
  expired: "default",
  abandoned: "default",
  released: "default",
  failed: "red",
  rejected: "red",
};

type Translate = (key: string) => string;

/**
 * A state named in the operator's language. Some states read differently per object (a team "open" is
 * 拼团中, a flash slot "open" is 抢购中): `campaigns.state.<scope>.<state>` wins over `campaigns.state.<state>`.
 */
export function stateLabel(t: Translate, state: string, scope?: string): string {
  if (scope) {
    const key = `campaigns.state.${scope}.${state}`;
    const specific = t(key);
    if (specific !== key) return specific;
  }
  return t(`campaigns.state.${state}`);
}

/** A state from the API as a coloured tag. */
export function StateTag({ state, scope, testId }: { state: string; scope?: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[state] ?? "default"} data-testid={testId}>
      {stateLabel(t, state, scope)}
    </Tag>
  );
}
