import fs from "node:fs/promises";
import path from "node:path";
import type { Selectable } from "kysely";
import type { Deps } from "../../deps.js";
import type { Actor } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { sha256 } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/database.js";
import { notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { productForShopper } from "../catalog/storefront.service.js";
import { displayNames } from "../identity/identity.service.js";
import { posterShare, shareUrl } from "../sharing/sharing.service.js";
import type { PosterStyle, PostersTables } from "./posters.tables.js";
import { renderPoster } from "./render.js";

type TemplateRow = Selectable<PostersTables["poster_templates"]>;

export interface PosterTemplate {
  key: string;
  name: string;
  style: PosterStyle;
  isDefault: boolean;
  version: number;
  updatedAt: Date;
}

const toTemplate = (r: TemplateRow): PosterTemplate => ({ key: r.key, name: r.name, style: r.style, isDefault: r.is_default, version: r.version, updatedAt: r.updated_at });

export async function listTemplates(db: Db): Promise<PosterTemplate[]> {
  return (await db.selectFrom("poster_templates").selectAll().orderBy("key").execute()).map(toTemplate);
}

/** The named template, or the default one. */
export async function templateOf(db: Db, key?: string): Promise<PosterTemplate> {
  const query = db.selectFrom("poster_templates").selectAll();
  const row = await (key ? query.where("key", "=", key) : query.where("is_default", "=", true)).executeTakeFirst();
  if (!row) throw notFound("poster template");
  return toTemplate(row);
}

/** Operators restyle a template; its version moves, so every poster drawn from it is redrawn. */
export async function updateTemplate(trx: Db, actor: Actor, key: string, patch: { name?: string; style?: Partial<PosterStyle> }, now: Date): Promise<PosterTemplate> {
  const before = await templateOf(trx, key);
  const style = { ...before.style, ...patch.style } as PosterStyle;
  const row = await trx
    .updateTable("poster_templates")
    .set((eb) => ({ name: patch.name ?? before.name, style: JSON.stringify(style), version: eb("version", "+", 1), updated_at: now }))
    .where("key", "=", key)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: "poster_template.updated", entity: "poster_template", entityId: key, before, after: toTemplate(row) }, now);
  return toTemplate(row);
}

/** The template posters use when the request names none. */
export async function setDefaultTemplate(trx: Db, actor: Actor, key: string, now: Date): Promise<PosterTemplate> {
  const before = await templateOf(trx);
  const chosen = await templateOf(trx, key);
  await trx.updateTable("poster_templates").set({ is_default: false }).where("is_default", "=", true).execute();
  await trx.updateTable("poster_templates").set({ is_default: true, updated_at: now }).where("key", "=", key).execute();
  await audit(trx, actor, { action: "poster_template.default_set", entity: "poster_template", entityId: key, before: { default: before.key }, after: { default: key } }, now);
  return { ...chosen, isDefault: true };
}

export interface Poster {
  png: Buffer;
  cache: "hit" | "miss";
  shareUrl: string;
  template: string;
}

/**
 * A sharer's poster of a product: drawn once per (template, target, sharer) and kept under
 * <dataDir>/posters/; served from there while its fingerprint (template version and everything drawn)
 * still matches. A cache that cannot be written (read-only disk) only costs a redraw next time.
 */
export async function posterFor(deps: Deps, input: { sharerId: string; targetType: "product"; targetId: string; template?: string }): Promise<Poster> {
  const [template, product, share, names] = await Promise.all([
    templateOf(deps.db, input.template),
    productForShopper(deps.db, input.targetId),
    posterShare(deps, input.sharerId, input.targetType, input.targetId),
    displayNames(deps.db, [input.sharerId]),
  ]);
  const url = shareUrl(deps, share.token);
  const content = {
    title: product.title,
    price: Math.min(...product.skus.map((s) => s.price), product.priceFrom),
    image: product.images[0] ?? null,
    sharerName: names.get(input.sharerId) ?? "",
    url,
  };
  const fingerprint = sha256(JSON.stringify({ template: template.key, version: template.version, ...content }));
  const key = { template_key: template.key, target_type: input.targetType, target_id: input.targetId, sharer_id: input.sharerId };
  const cached = await deps.db
    .selectFrom("posters")
    .selectAll()
    .where("template_key", "=", key.template_key)
    .where("target_type", "=", key.target_type)
    .where("target_id", "=", key.target_id)
    .where("sharer_id", "=", key.sharer_id)
    .executeTakeFirst();
  const dir = path.join(deps.config.dataDir, "posters");
  if (cached?.fingerprint === fingerprint) {
    const png = await fs.readFile(path.join(dir, cached.file)).catch(() => null);
    if (png) {
      await deps.db.updateTable("posters").set((eb) => ({ hits: eb("hits", "+", 1) })).where("id", "=", cached.id).execute();
      return { png, cache: "hit", shareUrl: url, template: template.key };
    }
  }
  const png = await renderPoster(template.style, content, deps.config.dataDir);
  const id = cached?.id ?? newId("pst");
  const file = `${id}-${fingerprint.slice(0, 12)}.png`;
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${file}.tmp`), png);
    await fs.rename(path.join(dir, `${file}.tmp`), path.join(dir, file));
    await deps.db
      .insertInto("posters")
      .values({ id, ...key, share_id: share.shareId, fingerprint, file, bytes: png.length, hits: 0, created_at: deps.clock.now() })
      .onConflict((oc) => oc.columns(["template_key", "target_type", "target_id", "sharer_id"]).doUpdateSet({ fingerprint, file, bytes: png.length, share_id: share.shareId, created_at: deps.clock.now() }))
      .execute();
    if (cached && cached.file !== file) await fs.rm(path.join(dir, cached.file), { force: true });
  } catch (err) {
    deps.log.warn({ err, dir }, "poster cache not written");
  }
  return { png, cache: "miss", shareUrl: url, template: template.key };
}
