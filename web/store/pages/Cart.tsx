import { ErrorBlock } from "antd-mobile";

export default function Cart() {
  return <ErrorBlock status="empty" title="Cart" />;
}
