import { Empty } from "antd";

export default function Products() {
  return <Empty description="Products" />;
}
