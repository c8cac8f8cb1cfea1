import { ErrorBlock } from "antd-mobile";

export default function BargainActivity() {
  return <ErrorBlock status="empty" title="BargainActivity" />;
}
