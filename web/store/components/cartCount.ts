import { useEffect, useSyncExternalStore } from "react";
import { api } from "../api";
import { useSession } from "../session";
import type { Cart } from "./types";

/** How many lines the shopper's cart holds, for the badge on the tab bar; pages that change the cart report it. */
let lines = 0;
const listeners = new Set<() => void>();

export function reportCart(cart: Pick<Cart, "items">): void {
  if (cart.items.length === lines) return;
  lines = cart.items.length;
  for (const l of listeners) l();
}

export function useCartCount(): number {
  const { user } = useSession();
  useEffect(() => {
    if (user) void api.get<Cart>("/cart").then(reportCart).catch(() => undefined);
    else reportCart({ items: [] });
  }, [user]);
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => lines,
  );
}
