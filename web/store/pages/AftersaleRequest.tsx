import { ErrorBlock } from "antd-mobile";

export default function AftersaleRequest() {
  return <ErrorBlock status="empty" title="AftersaleRequest" />;
}
