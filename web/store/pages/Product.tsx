import { ErrorBlock } from "antd-mobile";

export default function Product() {
  return <ErrorBlock status="empty" title="Product" />;
}
