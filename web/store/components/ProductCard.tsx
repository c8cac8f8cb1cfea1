import { Link } from "react-router";
import { Price } from "./Price";
import type { ProductCard as Card } from "./types";

/** A product picture, or a soft tile with the title's first character when it has none. */
export function ProductImage({ src, title, size, radius = 8 }: { src: string | null | undefined; title: string; size?: number; radius?: number }) {
  const box = size ? { width: size, height: size, flex: "none" as const } : { width: "100%", aspectRatio: "1 / 1" };
  return src ? (
    <img src={src} alt={title} loading="lazy" style={{ ...box, objectFit: "cover", borderRadius: radius, background: "#f3f3f3", display: "block" }} />
  ) : (
    <div style={{ ...box, borderRadius: radius, background: "#ffeee8", color: "var(--store-red)", display: "flex", alignItems: "center", justifyContent: "center", fontSize: (size ?? 120) / 2.6 }}>
      {[...title][0] ?? "·"}
    </div>
  );
}

export function ProductTile({ product }: { product: Card }) {
  return (
    <Link to={`/products/${product.id}`} data-testid="product-card" style={{ display: "block", background: "#fff", borderRadius: 10, overflow: "hidden", color: "inherit", textDecoration: "none" }}>
      <ProductImage src={product.image} title={product.title} radius={0} />
      <div style={{ padding: "8px 8px 10px" }}>
        <div className="store-clamp-2" style={{ fontSize: 14, lineHeight: "20px", minHeight: 40 }}>
          {product.title}
        </div>
        {product.tags.length > 0 && (
          <div style={{ marginTop: 4, display: "flex", gap: 4, flexWrap: "wrap" }}>
            {product.tags.slice(0, 2).map((tag) => (
              <span key={tag} style={{ fontSize: 10, color: "var(--store-red)", border: "1px solid #f5b5b0", borderRadius: 3, padding: "0 3px" }}>
                {tag}
              </span>
            ))}
          </div>
        )}
        <div style={{ marginTop: 4 }}>
          <Price fen={product.priceFrom} size="md" />
        </div>
      </div>
    </Link>
  );
}
