import { useEffect, useState } from "react";
import { api } from "../../api";
import type { Attribute, AftersaleTransition, CategoryNode, Warehouse } from "./types";

/**
 * Reference data the pages show beside ids (store and product names, categories, carriers), fetched
 * once per signed-in session and shared by every page that asks.
 */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const scoped = `${api.token() ?? ""}:${key}`;
  let hit = cache.get(scoped) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    cache.set(scoped, hit);
    hit.catch(() => cache.delete(scoped));
  }
  return hit;
}

/** A product or store name changed here shows up at once elsewhere instead of the cached one. */
export function forget(key: string): void {
  cache.delete(`${api.token() ?? ""}:${key}`);
}

function useCached<T>(key: string | null, load: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    if (key === null) return;
    let live = true;
    cached(key, load).then((v) => live && setValue(v), () => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return value;
}

export function useCategories(): { tree: CategoryNode[]; names: Map<string, string> } {
  const tree = useCached("categories", () => api.get<{ items: CategoryNode[] }>("/categories").then((r) => r.items)) ?? [];
  const names = new Map<string, string>();
  const walk = (nodes: CategoryNode[]) => nodes.forEach((n) => (names.set(n.id, n.name), walk(n.children)));
  walk(tree);
  return { tree, names };
}

export const useAttributes = () => useCached("attributes", () => api.get<{ items: Attribute[] }>("/admin/attributes").then((r) => r.items)) ?? [];

export const useWarehouses = () => useCached("warehouses", () => api.get<{ items: Warehouse[] }>("/admin/warehouses").then((r) => r.items)) ?? [];

export const useCarriers = () =>
  useCached("carriers", () => api.get<{ carriers: { code: string; name: string }[] }>("/shipping/carriers").then((r) => r.carriers)) ?? [];

export const useAftersaleTransitions = () =>
  useCached("aftersale-rules", () => api.get<{ transitions: AftersaleTransition[] }>("/aftersales/rules").then((r) => r.transitions)) ?? [];

/** Every store, for operators who may list them (the `admin` permission); others get none. */
export const useMerchants = (allowed: boolean) =>
  useCached(allowed ? "merchants" : null, () => api.get<{ items: { id: string; storeName: string }[] }>("/admin/merchants", { limit: 100 }).then((r) => r.items)) ?? [];

/** A store's name from its public page, so every role can see whose product or order it is. */
export function useStoreName(id: string | null | undefined): string | undefined {
  return useCached(id ? `store:${id}` : null, () => api.get<{ storeName: string }>(`/merchants/${id}`).then((r) => r.storeName));
}

/** A product's title: from the storefront when it is on sale (every role may read that), else from the catalog admin. */
export function useProductTitle(id: string | null | undefined): string | undefined {
  return useCached(id ? `product:${id}` : null, () =>
    api
      .get<{ title: string }>(`/products/${id}`)
      .catch(() => api.get<{ title: string }>(`/admin/products/${id}`))
      .then((r) => r.title),
  );
}
