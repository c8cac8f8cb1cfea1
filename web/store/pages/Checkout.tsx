import { ErrorBlock } from "antd-mobile";

export default function Checkout() {
  return <ErrorBlock status="empty" title="Checkout" />;
}
