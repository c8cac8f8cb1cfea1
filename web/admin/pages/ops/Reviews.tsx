import { Empty } from "antd";

export default function Reviews() {
  return <Empty description="Reviews" />;
}
