import type { IdentityTables } from "./modules/identity/identity.tables.js";
import type { PlatformTables } from "./platform/tables.js";

/**
 * The whole schema as Kysely sees it: the platform's tables plus each module's own. A module reads and
 * writes only the tables it declares; it reaches other modules through their service functions.
 */
export interface Database extends PlatformTables, IdentityTables {}
