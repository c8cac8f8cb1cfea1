import { Empty } from "antd";

export default function Lottery() {
  return <Empty description="Lottery" />;
}
