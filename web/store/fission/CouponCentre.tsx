import { ErrorBlock } from "antd-mobile";

export default function CouponCentre() {
  return <ErrorBlock status="empty" title="CouponCentre" />;
}
