import { Navigate, useParams, useSearchParams } from "react-router";
import { api } from "../api";
import { LoadState, useLoad } from "./kit";
import { landingFor } from "./landing";
import { Unavailable } from "./Unavailable";

/**
 * A scanned poster: lands on what the poster shows. A poster of a known kind of thing goes straight
 * there; otherwise its share token says what was shared.
 */
export default function PosterLanding() {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const token = search.get("share");
  const direct = landingFor(id, search);
  const { data, error } = useLoad(
    () => (direct || !token ? Promise.resolve(null) : api.get<{ targetType: string; targetId: string }>(`/shares/${token}`)),
    [id, token],
  );
  if (direct) return <Navigate to={direct} replace />;
  const shared = data && data.targetType !== "poster" ? landingFor(data.targetId, search) : null;
  if (shared) return <Navigate to={shared} replace />;
  if (token && !data && !error) return <LoadState error={null} />;
  return <Unavailable />;
}
