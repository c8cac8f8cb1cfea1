import type { Json } from "../../platform/tables.js";

interface Box {
  x: number;
  y: number;
}

/** A poster layout as data: colours, and where each element goes on the 750×1334 canvas. */
export interface PosterStyle {
  colors: { background: string; panel: string; accent: string; bannerText: string; text: string; muted: string; price: string };
  banner: { text: string; y: number; height: number; size: number };
  image: Box & { size: number };
  title: Box & { size: number; maxWidth: number; lines: number };
  price: Box & { size: number };
  sharer: Box & { size: number };
  qr: Box & { size: number };
  hint: Box & { size: number; text: string };
}

export interface PostersTables {
  poster_templates: { key: string; name: string; style: Json<PosterStyle>; is_default: boolean; version: number; updated_at: Date };
  posters: {
    id: string;
    template_key: string;
    target_type: string;
    target_id: string;
    sharer_id: string;
    share_id: string;
    fingerprint: string;
    file: string;
    bytes: number;
    hits: number;
    created_at: Date;
  };
}
