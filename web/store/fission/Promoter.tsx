import { ErrorBlock } from "antd-mobile";

export default function Promoter() {
  return <ErrorBlock status="empty" title="Promoter" />;
}
