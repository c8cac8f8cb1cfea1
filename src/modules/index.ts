import type { Module } from "../module.js";
import { identityModule } from "./identity/index.js";

/** Every capability, in dependency order. A new module is added here and nowhere else. */
export const modules: Module[] = [identityModule];
