import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../deps.js";
import { CONSUMER, merchantOrOperator, PUBLIC } from "../../platform/auth/access.js";
import { actorOf } from "../../platform/auth/principal.js";
import { IdOf, IdParam, PageQuery } from "../../platform/http/schemas.js";
import { staffViewer } from "../orders/orders.routes.js";
import type { ReviewStatus } from "./reviews.tables.js";
import { MAX_PHOTOS, type NewReview, hideReview, listReviews, postReviews, productReviews, replyToReview, reviewsOfOrder, showReview } from "./reviews.service.js";

const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const staff = (request: FastifyRequest) => ({ viewer: staffViewer(request), actor: actorOf(request.principal, request.id) });

export function reviewsRoutes(app: FastifyInstance, deps: Deps): void {
  const tags = ["reviews"];
  const staffAccess = merchantOrOperator("orders");

  app.get(
    "/products/:productId/reviews",
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "A product's reviews, newest first, with the average rating and the count per star",
        params: Type.Object({ productId: IdOf("prd") }),
        querystring: Type.Intersect([PageQuery, Type.Object({ photosOnly: Type.Optional(Type.Boolean({ description: "only reviews with photos (晒单)" })) })]),
      },
    },
    async (request) => {
      const q = request.query as { photosOnly?: boolean; limit?: number; after?: string };
      return productReviews(deps, (request.params as { productId: string }).productId, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.post(
    "/orders/:id/reviews",
    {
      config: { access: CONSUMER },
      schema: {
        tags,
        summary: "Review items of my completed order (each item once)",
        params: IdParam("ord"),
        body: Type.Object(
          {
            reviews: Type.Array(
              Type.Object(
                {
                  orderItemId: IdOf("oit"),
                  rating: Type.Integer({ minimum: 1, maximum: 5 }),
                  text: Type.String({ maxLength: 1000, default: "" }),
                  photos: Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_PHOTOS, default: [], description: "media ids or /uploads/… URLs from POST /uploads" }),
                  anonymous: Type.Boolean({ default: false }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { reviews } = request.body as { reviews: NewReview[] };
      return reply.status(201).send(await postReviews(deps, { orderId: id(request), userId: request.principal!.userId, reviews }));
    },
  );

  app.get("/orders/:id/reviews", { config: { access: CONSUMER }, schema: { tags, summary: "My reviews of one order, hidden ones with the reason", params: IdParam("ord") } }, async (request) =>
    reviewsOfOrder(deps, id(request), request.principal!.userId),
  );

  app.get(
    "/admin/reviews",
    {
      config: { access: staffAccess },
      schema: {
        tags,
        summary: "Reviews for moderation (a merchant sees its own products'), newest first",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(Type.Union([Type.Literal("visible"), Type.Literal("hidden")])),
            productId: Type.Optional(IdOf("prd")),
            rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: "only reviews with this many stars" })),
          }),
        ]),
      },
    },
    async (request) => {
      const q = request.query as { status?: ReviewStatus; productId?: string; rating?: number; limit?: number; after?: string };
      return listReviews(deps, staffViewer(request), { ...q, limit: q.limit ?? 20 });
    },
  );

  app.post(
    "/admin/reviews/:id/hide",
    { config: { access: staffAccess }, schema: { tags, summary: "Hide a review from the product page, saying why", params: IdParam("rev"), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }) } },
    async (request) => hideReview(deps, id(request), staff(request), (request.body as { reason: string }).reason),
  );

  app.post("/admin/reviews/:id/show", { config: { access: staffAccess }, schema: { tags, summary: "Show a hidden review again", params: IdParam("rev") } }, async (request) =>
    showReview(deps, id(request), staff(request)),
  );

  app.post(
    "/admin/reviews/:id/reply",
    { config: { access: staffAccess }, schema: { tags, summary: "Answer a review publicly (replaces an earlier answer)", params: IdParam("rev"), body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }) } },
    async (request) => replyToReview(deps, id(request), staff(request), (request.body as { text: string }).text),
  );
}
