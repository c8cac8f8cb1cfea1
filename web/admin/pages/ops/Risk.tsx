import { Empty } from "antd";

export default function Risk() {
  return <Empty description="Risk" />;
}
