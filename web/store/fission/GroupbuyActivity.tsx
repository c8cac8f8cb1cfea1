import { ErrorBlock } from "antd-mobile";

export default function GroupbuyActivity() {
  return <ErrorBlock status="empty" title="GroupbuyActivity" />;
}
