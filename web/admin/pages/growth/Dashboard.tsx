import { Empty } from "antd";

export default function Dashboard() {
  return <Empty description="Dashboard" />;
}
