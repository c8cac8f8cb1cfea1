import { createTracker } from "../../shared/track";
import { api } from "../api";
import { arrivalShareToken } from "../session";

/** The store's event tracker: page and product views and cart adds, credited to the share the visitor came by. */
export const tracker = createTracker({ token: () => api.token(), shareToken: arrivalShareToken });
