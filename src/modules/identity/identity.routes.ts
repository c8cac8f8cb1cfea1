import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../../deps.js";
import { ANY_USER, CONSUMER, PUBLIC, operator } from "../../platform/auth/access.js";
import { OPERATOR_PRESETS, type Permission } from "../../platform/auth/principal.js";
import { audit } from "../../platform/audit.js";
import { actorOf } from "../../platform/auth/principal.js";
import { notFound, unauthorized } from "../../platform/errors.js";
import { IdParam, PhoneNumber } from "../../platform/http/schemas.js";
import { deleteAddress, listAddresses, saveAddress } from "./addresses.service.js";
import {
  createUser,
  findConsumerByPhone,
  findUser,
  loginWithCode,
  loginWithPassword,
  logout,
  sendLoginCode,
  setPassword,
  toPublicUser,
} from "./identity.service.js";
import { DevSmsProvider } from "./sms.js";

const Password = Type.String({ minLength: 8, maxLength: 128 });
const AddressBody = Type.Object(
  {
    recipient: Type.String({ minLength: 1, maxLength: 50 }),
    phone: PhoneNumber,
    province: Type.String({ minLength: 1, maxLength: 50 }),
    city: Type.String({ minLength: 1, maxLength: 50 }),
    district: Type.String({ minLength: 1, maxLength: 50 }),
    detail: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.Optional(Type.String({ pattern: "^\\d{6}$" })),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function identityRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["identity"];

  app.post(
    "/auth/sms-codes",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Send a one-time login code to a phone (rate-limited per phone and IP)",
        body: Type.Object({ phone: PhoneNumber }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const { phone } = request.body as { phone: string };
      const sent = await sendLoginCode(deps, phone, request.ip);
      // The development provider has no real phone to reach: it hands the code back so the dev store can show it.
      const devCode = deps.adapters.sms instanceof DevSmsProvider ? sent.code : undefined;
      return { sent: true, expiresInSeconds: sent.expiresInSeconds, devCode };
    },
  );

  app.post(
    "/auth/consumer/login",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Sign in (and register on first sign-in) with phone and code",
        body: Type.Object(
          {
            phone: PhoneNumber,
            code: Type.String({ pattern: "^\\d{6}$" }),
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
            inviteCode: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]{4,16}$", description: "the inviter's code from the link that brought this user" })),
            shareToken: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_-]{6,64}$", description: "the share token from the link that brought this user" })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { phone: string; code: string; displayName?: string; inviteCode?: string; shareToken?: string };
      const deviceId = request.headers["x-device-id"];
      const result = await loginWithCode(deps, body.phone, body.code, body.displayName, {
        inviteCode: body.inviteCode,
        shareToken: body.shareToken,
        deviceId: typeof deviceId === "string" ? deviceId.slice(0, 128) : undefined,
        ip: request.ip,
      });
      if (result.created) deps.events.poke();
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post(
    "/auth/login",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "Sign in with a password: staff by username, consumers by phone",
        body: Type.Union([
          Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
          Type.Object({ phone: PhoneNumber, password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
        ]),
      },
    },
    async (request) => {
      const body = request.body as { username?: string; phone?: string; password: string };
      return loginWithPassword(deps, body, body.password);
    },
  );

  app.post("/auth/logout", { config: { access: ANY_USER }, schema: { tags, summary: "End this session" } }, async (request, reply) => {
    await logout(deps, request.principal!.sessionId);
    return reply.status(204).send();
  });

  app.get("/me", { config: { access: ANY_USER }, schema: { tags, summary: "The signed-in account (own phone unmasked)" } }, async (request) => {
    const user = await findUser(deps.db, request.principal!.userId);
    if (!user) throw unauthorized();
    return toPublicUser(deps, user, true);
  });

  app.put(
    "/me/password",
    {
      config: { access: ANY_USER },
      schema: { tags, summary: "Set or change the password", body: Type.Object({ password: Password, currentPassword: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const body = request.body as { password: string; currentPassword?: string };
      await setPassword(deps, request.principal!.userId, body.password, body.currentPassword);
      return reply.status(204).send();
    },
  );

  app.get("/me/addresses", { config: { access: CONSUMER }, schema: { tags, summary: "My address book" } }, async (request) => ({
    items: await listAddresses(deps, request.principal!.userId),
  }));
  app.post("/me/addresses", { config: { access: CONSUMER }, schema: { tags, summary: "Add an address", body: AddressBody } }, async (request, reply) =>
    reply.status(201).send(await saveAddress(deps, request.principal!.userId, request.body as never)),
  );
  app.put("/me/addresses/:id", { config: { access: CONSUMER }, schema: { tags, summary: "Change an address", params: IdParam("adr"), body: AddressBody } }, async (request) =>
    saveAddress(deps, request.principal!.userId, request.body as never, (request.params as { id: string }).id),
  );
  app.delete("/me/addresses/:id", { config: { access: CONSUMER }, schema: { tags, summary: "Remove an address", params: IdParam("adr") } }, async (request, reply) => {
    await deleteAddress(deps, request.principal!.userId, (request.params as { id: string }).id);
    return reply.status(204).send();
  });

  app.get(
    "/admin/users/lookup",
    {
      config: { access: operator("users") },
      schema: { tags, summary: "Find a consumer by phone (matched through the keyed hash; the number stays masked)", querystring: Type.Object({ phone: PhoneNumber }) },
    },
    async (request) => {
      const user = await findConsumerByPhone(deps, deps.db, (request.query as { phone: string }).phone);
      if (!user) throw notFound("user");
      return toPublicUser(deps, user, false);
    },
  );

  app.post(
    "/admin/staff",
    {
      config: { access: operator("admin") },
      schema: {
        tags,
        summary: "Create an operator, merchant-staff or supplier account",
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal("operator"), Type.Literal("merchant"), Type.Literal("supplier")]),
            username: Type.String({ pattern: "^[a-z0-9_.-]{3,32}$" }),
            password: Password,
            displayName: Type.String({ minLength: 1, maxLength: 50 }),
            preset: Type.Optional(Type.Union([Type.Literal("admin"), Type.Literal("finance"), Type.Literal("support")])),
            merchantId: Type.Optional(Type.String({ maxLength: 64 })),
            supplierId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { kind: "operator" | "merchant" | "supplier"; username: string; password: string; displayName: string; preset?: string; merchantId?: string; supplierId?: string };
      const permissions: Permission[] = body.kind === "operator" ? (OPERATOR_PRESETS[body.preset ?? "support"] ?? []) : [];
      const user = await deps.db.transaction().execute(async (trx) => {
        const created = await createUser(deps, trx, { ...body, permissions });
        await audit(trx, actorOf(request.principal, request.id), { action: "staff.create", entity: "user", entityId: created.id, after: { kind: created.kind, username: created.username, permissions } }, deps.clock.now());
        return created;
      });
      return reply.status(201).send(toPublicUser(deps, user, false));
    },
  );
}
