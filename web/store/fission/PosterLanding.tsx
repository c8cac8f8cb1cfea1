import { ErrorBlock } from "antd-mobile";

export default function PosterLanding() {
  return <ErrorBlock status="empty" title="PosterLanding" />;
}
