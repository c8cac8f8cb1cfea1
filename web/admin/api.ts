import { createApi } from "../shared/api";

/** The console's API client; a 401 sends the operator back to the sign-in page. */
export const api = createApi("liebian.admin.token", () => {
  if (!location.hash.startsWith("#/login")) location.hash = "#/login";
});
