import { Empty } from "antd";

export default function Orders() {
  return <Empty description="Orders" />;
}
