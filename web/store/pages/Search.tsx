import { ErrorBlock } from "antd-mobile";

export default function Search() {
  return <ErrorBlock status="empty" title="Search" />;
}
