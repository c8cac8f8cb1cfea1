-- Share posters (海报): layout templates as data, and the cache of drawn posters.

-- A template is colours and positions on a 750×1334 canvas; `version` moves on every change, which
-- is what invalidates the posters drawn from it.
create table poster_templates (
  key text primary key,
  name text not null,
  style jsonb not null,
  is_default boolean not null default false,
  version integer not null default 1,
  updated_at timestamptz not null
);
create unique index poster_templates_one_default on poster_templates (is_default) where is_default;

insert into poster_templates (key, name, style, is_default, updated_at) values
('classic', '经典红', '{
  "colors": {"background": "#fff6f0", "panel": "#ffffff", "accent": "#e02e24", "bannerText": "#ffffff", "text": "#222222", "muted": "#888888", "price": "#e02e24"},
  "banner": {"text": "好物推荐", "y": 40, "height": 110, "size": 44},
  "image": {"x": 40, "y": 190, "size": 670},
  "title": {"x": 60, "y": 920, "size": 38, "maxWidth": 630, "lines": 2},
  "price": {"x": 60, "y": 1060, "size": 56},
  "sharer": {"x": 60, "y": 1180, "size": 30},
  "qr": {"x": 470, "y": 1010, "size": 240},
  "hint": {"x": 590, "y": 1290, "size": 22, "text": "长按识别二维码"}
}', true, now()),
('midnight', '夜幕金', '{
  "colors": {"background": "#14161f", "panel": "#1f2230", "accent": "#d9b36c", "bannerText": "#14161f", "text": "#f3f3f3", "muted": "#a0a4b8", "price": "#f5c86a"},
  "banner": {"text": "限时好价", "y": 0, "height": 120, "size": 46},
  "image": {"x": 75, "y": 170, "size": 600},
  "title": {"x": 75, "y": 840, "size": 36, "maxWidth": 600, "lines": 2},
  "price": {"x": 75, "y": 960, "size": 60},
  "sharer": {"x": 75, "y": 1050, "size": 28},
  "qr": {"x": 75, "y": 1100, "size": 200},
  "hint": {"x": 460, "y": 1185, "size": 26, "text": "长按识别 · 立即抢购"}
}', false, now());

-- One drawn poster per (template, target, sharer); `fingerprint` covers everything drawn on it
-- (template version, title, price, image, sharer, link), so a stale file is redrawn, never served.
create table posters (
  id text primary key,
  template_key text not null,
  target_type text not null,
  target_id text not null,
  sharer_id text not null,
  share_id text not null,
  fingerprint text not null,
  file text not null,
  bytes integer not null,
  hits integer not null default 0,
  created_at timestamptz not null,
  unique (template_key, target_type, target_id, sharer_id)
);
