import { Typography } from "antd";

/** Ids are long ULIDs: show the prefix and the tail, copy the whole. */
export function ShortId({ id }: { id: string | null | undefined }) {
  if (!id) return <>—</>;
  const [prefix] = id.split("_");
  return (
    <Typography.Text copyable={{ text: id }} style={{ fontFamily: "monospace", fontSize: 12 }}>
      {`${prefix}…${id.slice(-6)}`}
    </Typography.Text>
  );
}
