import { Empty } from "antd";

export default function Audit() {
  return <Empty description="Audit" />;
}
