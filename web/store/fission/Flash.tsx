import { ErrorBlock } from "antd-mobile";

export default function Flash() {
  return <ErrorBlock status="empty" title="Flash" />;
}
