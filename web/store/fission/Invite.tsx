import { ErrorBlock } from "antd-mobile";

export default function Invite() {
  return <ErrorBlock status="empty" title="Invite" />;
}
