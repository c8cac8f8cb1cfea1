import { shanghaiTime } from "../../../shared/format";

/** A campaign's window, start over end, to the minute in Asia/Shanghai. */
export function Window({ from, to }: { from: string | null; to: string | null }) {
  return (
    <span style={{ fontSize: 12, whiteSpace: "nowrap" }}>
      {shanghaiTime(from).slice(0, 16)}
      <br />
      {shanghaiTime(to).slice(0, 16)}
    </span>
  );
}
