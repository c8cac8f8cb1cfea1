import { ErrorBlock } from "antd-mobile";

export default function Store() {
  return <ErrorBlock status="empty" title="Store" />;
}
