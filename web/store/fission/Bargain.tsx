import { ErrorBlock } from "antd-mobile";

export default function Bargain() {
  return <ErrorBlock status="empty" title="Bargain" />;
}
