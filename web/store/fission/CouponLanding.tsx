import { ErrorBlock } from "antd-mobile";

export default function CouponLanding() {
  return <ErrorBlock status="empty" title="CouponLanding" />;
}
