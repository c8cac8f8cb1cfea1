import { Result } from "antd";
import { Navigate, Route, Routes } from "react-router";
import Layout, { visiblePages } from "./Layout";
import Login from "./Login";
import { useSession } from "./session";

export default function App() {
  const { staff, can } = useSession();
  const pages = visiblePages(can);
  const home = staff?.kind === "merchant" ? "/ops/products" : (pages[0]?.path ?? "/login");
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route element={<Layout />}>
        <Route index element={<Navigate to={home} replace />} />
        {pages.map((p) => (
          <Route key={p.path} path={`${p.path}/*`} element={<p.component />} />
        ))}
        <Route path="*" element={<Result status="404" title="404" />} />
      </Route>
    </Routes>
  );
}
