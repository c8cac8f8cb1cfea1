import dayjs, { type Dayjs } from "dayjs";
import { shanghaiTime } from "../../../shared/format";
import { api } from "../../api";

/**
 * Campaign times are set and read in Asia/Shanghai whatever the operator's computer is set to: a picked
 * date's wall-clock reading is taken as Shanghai time (UTC+8 all year, no daylight saving) and sent to
 * the API as a UTC instant.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function toApiTime(value: Dayjs): string {
  return new Date(Date.UTC(value.year(), value.month(), value.date(), value.hour(), value.minute(), value.second()) - SHANGHAI_OFFSET_MS).toISOString();
}

/** An instant from the API as a picker value showing its Shanghai wall-clock time. */
export function fromApiTime(iso: string | Date): Dayjs {
  return dayjs(shanghaiTime(iso));
}

/** The server's clock as a picker value (the server may run on another clock than this browser). */
export async function serverNow(): Promise<Dayjs> {
  const { now } = await api.get<{ now: string }>("/time");
  return fromApiTime(now).second(0);
}

export const PICKER_FORMAT = "YYYY-MM-DD HH:mm";
