import { Empty } from "antd";

export default function Aftersales() {
  return <Empty description="Aftersales" />;
}
