import { ErrorBlock } from "antd-mobile";

export default function Categories() {
  return <ErrorBlock status="empty" title="Categories" />;
}
