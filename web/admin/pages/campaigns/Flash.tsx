import { Empty } from "antd";

export default function Flash() {
  return <Empty description="Flash" />;
}
