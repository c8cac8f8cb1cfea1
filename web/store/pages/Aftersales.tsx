import { ErrorBlock } from "antd-mobile";

export default function Aftersales() {
  return <ErrorBlock status="empty" title="Aftersales" />;
}
