import { useNavigate } from "react-router";
import Button from "antd-mobile/es/components/button";
import ErrorBlock from "antd-mobile/es/components/error-block";
import { useI18n } from "../../shared/i18n";
import { Page } from "../components/Page";

/** What a shared link shows when what it pointed to is gone: a way into the store instead of a dead end. */
export function Unavailable() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Page title={t("landing.title")}>
      <ErrorBlock status="empty" title={t("landing.gone")} description={t("landing.goneHint")} style={{ paddingTop: 80 }}>
        <Button color="danger" shape="rounded" data-testid="landing-home" onClick={() => navigate("/", { replace: true })}>
          {t("landing.home")}
        </Button>
      </ErrorBlock>
    </Page>
  );
}
