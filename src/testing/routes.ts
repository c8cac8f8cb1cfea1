import type { RouteEntry } from "../app.js";

const ULID_ZERO = "0".repeat(26);

/**
 * A concrete URL for a route pattern: each `:param` filled with a well-formed value that names nothing
 * (an id with the right prefix, per the route's params schema), so a request passes validation and
 * meets the service's "not found".
 */
export function fakeUrl(route: RouteEntry): string {
  const props = ((route.schema?.params as { properties?: Record<string, { pattern?: string; enum?: string[]; anyOf?: { const?: string }[] }> } | undefined)?.properties ?? {});
  return route.url
    .replace(/:(\w+)/g, (_m, name: string) => {
      const schema = props[name];
      const prefix = schema?.pattern?.match(/^\^(\w+)_/)?.[1];
      if (prefix) return `${prefix}_${ULID_ZERO}`;
      const choice = schema?.enum?.[0] ?? schema?.anyOf?.[0]?.const;
      return choice ?? "x";
    })
    .replace(/\*$/, "none");
}
