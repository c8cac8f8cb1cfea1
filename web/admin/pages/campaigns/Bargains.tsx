import { Empty } from "antd";

export default function Bargains() {
  return <Empty description="Bargains" />;
}
