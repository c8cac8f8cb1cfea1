import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.js";
import { MEMBER_STATES, MEMBER_TRANSITIONS, memberMachine, TEAM_STATES, TEAM_TRANSITIONS, teamMachine } from "./team-machine.js";

type Machine = { next(from: string, event: string): string; render(): string };
const cases: Array<[string, Record<string, string>, Record<string, { from: readonly string[]; to: string }>, Machine, string]> = [
  ["team", TEAM_STATES, TEAM_TRANSITIONS, teamMachine as Machine, "pending"],
  ["seat", MEMBER_STATES, MEMBER_TRANSITIONS, memberMachine as Machine, "placing"],
];

describe.each(cases)("%s state machine", (_name, statesTable, transitions, machine, initial) => {
  const states = Object.keys(statesTable);
  const events = Object.keys(transitions);

  it("allows exactly the transitions in the table, from every state", () => {
    for (const from of states) {
      for (const event of events) {
        if (transitions[event].from.includes(from)) {
          expect(machine.next(from, event)).toBe(transitions[event].to);
          continue;
        }
        const err = (() => {
          try {
            machine.next(from, event);
          } catch (e) {
            return e;
          }
        })() as AppError;
        expect(err).toBeInstanceOf(AppError);
        expect([err.status, err.code]).toEqual([409, "illegal_transition"]);
      }
    }
  });

  it("reaches every state from the first one, and lets none leave a final state", () => {
    const seen = new Set([initial]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of Object.values(transitions)) {
        if (t.from.some((f) => seen.has(f)) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...states].sort());
    const finals = states.filter((s) => !events.some((e) => transitions[e].from.includes(s)));
    expect(finals.length).toBeGreaterThan(0);
  });

  it("is documented in the module README exactly as the code has it", () => {
    const readme = fs.readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(machine.render());
  });
});

describe("final states", () => {
  it("are the team's closed states and the seat's settled states", () => {
    const final = (t: Record<string, { from: readonly string[] }>, s: Record<string, string>) => Object.keys(s).filter((x) => !Object.values(t).some((tr) => tr.from.includes(x)));
    expect(final(TEAM_TRANSITIONS, TEAM_STATES)).toEqual(["succeeded", "failed", "abandoned"]);
    expect(final(MEMBER_TRANSITIONS, MEMBER_STATES)).toEqual(["fulfilled", "released", "voided", "refunded", "dropped"]);
  });
});
