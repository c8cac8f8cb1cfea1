import { ErrorBlock } from "antd-mobile";

export default function Level() {
  return <ErrorBlock status="empty" title="Level" />;
}
