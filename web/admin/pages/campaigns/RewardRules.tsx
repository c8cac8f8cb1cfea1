import { Empty } from "antd";

export default function RewardRules() {
  return <Empty description="RewardRules" />;
}
