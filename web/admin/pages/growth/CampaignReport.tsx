import { Empty } from "antd";

export default function CampaignReport() {
  return <Empty description="CampaignReport" />;
}
