import type { ImageMime } from "./image-types.js";

export interface MediaTables {
  media: { id: string; owner_id: string; path: string; mime: ImageMime; size: number; sha256: string; created_at: Date };
}
