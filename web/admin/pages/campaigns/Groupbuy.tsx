import { Empty } from "antd";

export default function Groupbuy() {
  return <Empty description="Groupbuy" />;
}
