/** A product's spec dimensions (规格项 such as 颜色, 尺码) and the SKU rows their combinations make. */
export interface SpecDimension {
  name: string;
  values: string[];
}

export interface SkuRow {
  /** Set for SKUs the API already has; their specs are fixed (a different thing is a new SKU). */
  id?: string;
  specs: Record<string, string>;
  code: string;
  price: number | null;
  weightGrams: number;
  status: "active" | "inactive";
}

export const specsKey = (specs: Record<string, string>) =>
  JSON.stringify(Object.entries(specs).sort(([a], [b]) => a.localeCompare(b)));

/** Every combination of the dimensions' values; no dimensions is one SKU without specs. */
export function combinations(dims: SpecDimension[]): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const d of dims.filter((d) => d.values.length > 0)) combos = combos.flatMap((c) => d.values.map((v) => ({ ...c, [d.name]: v })));
  return combos;
}

/** The dimensions existing SKUs use, in the order they first appear. */
export function dimensionsOf(skus: { specs: Record<string, string> }[]): SpecDimension[] {
  const dims: SpecDimension[] = [];
  for (const sku of skus) {
    for (const [name, value] of Object.entries(sku.specs)) {
      let d = dims.find((x) => x.name === name);
      if (!d) dims.push((d = { name, values: [] }));
      if (!d.values.includes(value)) d.values.push(value);
    }
  }
  return dims;
}

/**
 * The rows for new dimensions: saved SKUs always stay, a row already typed for a combination keeps
 * what was typed, and a new combination starts from the first row's price and weight.
 */
export function regrid(rows: SkuRow[], dims: SpecDimension[]): SkuRow[] {
  const byKey = new Map(rows.map((r) => [specsKey(r.specs), r]));
  const template = rows[0];
  const wanted = combinations(dims);
  const wantedKeys = new Set(wanted.map(specsKey));
  const kept = rows.filter((r) => r.id !== undefined && !wantedKeys.has(specsKey(r.specs)));
  const used = new Set([...kept, ...wanted.flatMap((specs) => byKey.get(specsKey(specs)) ?? [])].map((r) => r.code));
  const grid = wanted.map((specs) => byKey.get(specsKey(specs)) ?? { specs, code: nextCode(used), price: template?.price ?? null, weightGrams: template?.weightGrams ?? 0, status: "active" as const });
  return [...grid, ...kept];
}

/** The next free code in the product's own numbering (TEE-6 → TEE-7), or SKU-1, SKU-2 … for a new product. */
function nextCode(used: Set<string>): string {
  const stem = [...used].map((c) => /^(.*\D)\d+$/.exec(c)?.[1]).find((s) => s !== undefined) ?? "SKU-";
  let n = used.size + 1;
  while (used.has(`${stem}${n}`)) n += 1;
  const code = `${stem}${n}`;
  used.add(code);
  return code;
}
