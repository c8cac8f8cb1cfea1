import { ErrorBlock } from "antd-mobile";

export default function Addresses() {
  return <ErrorBlock status="empty" title="Addresses" />;
}
