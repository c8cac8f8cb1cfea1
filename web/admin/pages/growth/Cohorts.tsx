import { Empty } from "antd";

export default function Cohorts() {
  return <Empty description="Cohorts" />;
}
