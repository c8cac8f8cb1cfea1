import { ErrorBlock } from "antd-mobile";

export default function OrderDetail() {
  return <ErrorBlock status="empty" title="OrderDetail" />;
}
