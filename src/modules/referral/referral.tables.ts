import type { ColumnType } from "kysely";

/** How an invitee reached the inviter: their invite code (typed, or from an invite link) or a share link. */
export type BoundVia = "invite_code" | "share";

export interface ReferralTables {
  referral_members: {
    user_id: string;
    invite_code: string;
    inviter_id: string | null;
    path: string[];
    depth: number;
    bound_via: BoundVia | null;
    bound_at: Date | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  invite_visits: {
    id: string;
    inviter_id: string;
    invite_code: string;
    device_id: string | null;
    ip: string | null;
    at: Date;
  };
}
