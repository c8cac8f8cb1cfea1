import { ErrorBlock } from "antd-mobile";

export default function Points() {
  return <ErrorBlock status="empty" title="Points" />;
}
