import { ErrorBlock } from "antd-mobile";

export default function WriteReview() {
  return <ErrorBlock status="empty" title="WriteReview" />;
}
