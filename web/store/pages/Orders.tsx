import { ErrorBlock } from "antd-mobile";

export default function Orders() {
  return <ErrorBlock status="empty" title="Orders" />;
}
