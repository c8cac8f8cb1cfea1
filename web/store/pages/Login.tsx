import { ErrorBlock } from "antd-mobile";

export default function Login() {
  return <ErrorBlock status="empty" title="Login" />;
}
