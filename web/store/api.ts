import { createApi } from "../shared/api";

/** The store's API client; the consumer's session token is kept per browser. */
export const api = createApi("liebian.store.token");
