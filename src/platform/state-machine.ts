import { conflict } from "./errors.js";

export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
  /** Who or what makes it happen (documentation, shown in the README table). */
  by: string;
}

/**
 * A lifecycle written once as data: its states (with what each means) and its transitions. The guard
 * (`next`), the API that publishes the machine, the module README (`render`) and the tests all read the
 * same tables. An event not allowed from the current state is a 409 `illegal_transition` that names
 * what is allowed.
 */
export function defineMachine<S extends string, E extends string>(noun: string, states: Record<S, string>, transitions: Record<E, Transition<S>>) {
  const events = Object.keys(transitions) as E[];
  const allowedFrom = (from: S): E[] => events.filter((e) => transitions[e].from.includes(from));
  return {
    states,
    transitions,
    allowedFrom,
    next(from: S, event: E): S {
      const t = transitions[event];
      if (!t.from.includes(from)) {
        throw conflict("illegal_transition", `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun} that is ${from} cannot ${event.replaceAll("_", " ")}`, { from, event, allowed: allowedFrom(from) });
      }
      return t.to;
    },
    /** The transitions as a Markdown table (a README embeds exactly this; a test keeps them equal). */
    render(): string {
      const rows = events.map((e) => `| ${e} | ${transitions[e].from.join(", ")} | ${transitions[e].to} | ${transitions[e].by} |`);
      return ["| event | from | to | by |", "| --- | --- | --- | --- |", ...rows].join("\n");
    },
  };
}
