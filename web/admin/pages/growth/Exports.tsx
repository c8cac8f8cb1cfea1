import { Empty } from "antd";

export default function Exports() {
  return <Empty description="Exports" />;
}
