import { Empty } from "antd";

export default function Stock() {
  return <Empty description="Stock" />;
}
