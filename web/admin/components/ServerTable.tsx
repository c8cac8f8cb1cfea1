import { Button, Space, Table, type TableProps } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../shared/api";
import { useI18n } from "../../shared/i18n";
import { api } from "../api";

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A table over one of the API's cursor-paged lists (`{items, nextCursor}`): paging and filtering happen
 * on the server; `query` holds the filters and a change to it starts again from the first page; a
 * change to `reloadKey` fetches the page shown again.
 */
export function ServerTable<T extends { id: string }>(props: {
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  columns: TableProps<T>["columns"];
  pageSize?: number;
  reloadKey?: unknown;
  expandable?: TableProps<T>["expandable"];
  onRow?: TableProps<T>["onRow"];
  scroll?: TableProps<T>["scroll"];
  /** data-testid of the table, for browser tests. */
  testId?: string;
}) {
  const { t } = useI18n();
  const pageSize = props.pageSize ?? 20;
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<CursorPage<T>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queryKey = JSON.stringify(props.query ?? {});

  const load = useCallback(
    async (after: string | undefined) => {
      setLoading(true);
      setError(null);
      try {
        setPage(await api.get<CursorPage<T>>(props.path, { ...props.query, limit: pageSize, after }));
      } catch (e) {
        setError(e instanceof ApiError ? e.message : String(e));
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.path, queryKey, pageSize],
  );

  useEffect(() => {
    setCursors([undefined]);
    void load(undefined);
  }, [load]);

  // After an action on a row the page shown is fetched again, so the operator stays where they were.
  const shown = useRef<unknown>(props.reloadKey);
  useEffect(() => {
    if (shown.current === props.reloadKey) return;
    shown.current = props.reloadKey;
    void load(cursors[cursors.length - 1]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.reloadKey]);

  return (
    <div data-testid={props.testId}>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={props.columns}
        dataSource={page.items}
        pagination={false}
        expandable={props.expandable}
        onRow={props.onRow}
        scroll={props.scroll}
        locale={error ? { emptyText: error } : undefined}
      />
      <Space style={{ marginTop: 12, justifyContent: "flex-end", width: "100%" }}>
        <Button data-testid="table-prev" disabled={cursors.length <= 1 || loading} onClick={() => { const prev = cursors.slice(0, -1); setCursors(prev); void load(prev[prev.length - 1]); }}>
          {t("table.prev")}
        </Button>
        <span>{t("table.page", { n: cursors.length })}</span>
        <Button data-testid="table-next" disabled={!page.nextCursor || loading} onClick={() => { setCursors([...cursors, page.nextCursor!]); void load(page.nextCursor!); }}>
          {t("table.next")}
        </Button>
      </Space>
    </div>
  );
}
