import { ErrorBlock } from "antd-mobile";

export default function Lottery() {
  return <ErrorBlock status="empty" title="Lottery" />;
}
