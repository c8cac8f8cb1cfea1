import { Empty } from "antd";

export default function Coupons() {
  return <Empty description="Coupons" />;
}
