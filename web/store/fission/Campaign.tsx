import { ErrorBlock } from "antd-mobile";

export default function Campaign() {
  return <ErrorBlock status="empty" title="Campaign" />;
}
