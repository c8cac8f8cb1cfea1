import { Component, type ReactNode } from "react";
import Button from "antd-mobile/es/components/button";
import { useI18n } from "../../shared/i18n";

/**
 * Keeps one page's failure (a bug, or a page file gone after a new release) from blanking the whole
 * store: the page is replaced by a way out, and the next route starts afresh.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}

function PageFailed() {
  const { t } = useI18n();
  return (
    <div style={{ textAlign: "center", padding: "140px 24px 0" }} data-testid="page-failed">
      <div style={{ fontSize: 16, color: "#555" }}>{t("load.pageFailed")}</div>
      <div style={{ display: "flex", gap: 12, justifyContent: "center", marginTop: 20 }}>
        <Button shape="rounded" onClick={() => location.reload()}>
          {t("load.reload")}
        </Button>
        <Button shape="rounded" color="danger" onClick={() => location.assign("/#/")}>
          {t("load.home")}
        </Button>
      </div>
    </div>
  );
}
