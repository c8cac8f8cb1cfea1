import { Empty } from "antd";

export default function InviteTree() {
  return <Empty description="InviteTree" />;
}
