import { ErrorBlock } from "antd-mobile";

export default function Me() {
  return <ErrorBlock status="empty" title="Me" />;
}
