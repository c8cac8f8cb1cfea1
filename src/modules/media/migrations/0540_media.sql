-- Uploaded images (review photos, after-sales evidence): who uploaded them and where the bytes are.

create table media (
  id text primary key,
  owner_id text not null,
  -- Storage key, relative to the uploads root: <yyyy>/<mm>/<id>.<ext>; the public URL is /uploads/<path>.
  path text not null unique,
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  size int not null check (size > 0),
  sha256 text not null,
  created_at timestamptz not null
);
create index media_owner on media (owner_id, id desc);
