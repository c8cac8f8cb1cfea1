import { ErrorBlock } from "antd-mobile";

export default function Team() {
  return <ErrorBlock status="empty" title="Team" />;
}
