import { ErrorBlock } from "antd-mobile";

export default function Home() {
  return <ErrorBlock status="empty" title="Home" />;
}
