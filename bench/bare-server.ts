/**
 * The baseline for bench:flashsale: a bare Fastify server in its own process answering the same
 * request (path, headers, JSON body) with a constant JSON body — what HTTP + JSON cost on this machine.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.post("/flash/items/:itemId/attempts", async (_request, reply) => reply.status(202).send({ attemptId: "fsa_baseline", status: "queued" }));
app.get("/readyz", async () => ({ status: "ready" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
