import { Navigate, useParams, useSearchParams } from "react-router";
import { Unavailable } from "./Unavailable";
import { landingFor } from "./landing";

/** A shared campaign: lands on the page of the activity it promotes, keeping the share token. */
export default function Campaign() {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const to = landingFor(id, search);
  return to ? <Navigate to={to} replace /> : <Unavailable />;
}
