import { Empty } from "antd";

export default function Leaderboards() {
  return <Empty description="Leaderboards" />;
}
