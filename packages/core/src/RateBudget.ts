/**
 * Per-kind request budgets, as Pinecone's plans set them: uploads (upload and upsert), deletes and
 * reads (every GET), each so many per minute. A budget spaces each kind's requests evenly, and a 429
 * slows that kind down: it waits out the `Retry-After`, and an unthrottled kind takes the rate it
 * was achieving as its limit, so that a sync on a Starter account converges to 5 uploads a minute
 * without failing a file.
 *
 * Every `AssistantClient` call inside `RateBudget.withBudget(budget)(effect)` draws on the budget;
 * `AssistantClient.layer({ rateBudget })` gives a client one of its own.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as internal from "./internal/throttle/budget.js"

/**
 * The kinds of request a plan limits: `assistants` is the control plane's (create, list, describe,
 * update and delete assistants; the host lookups of discovery too).
 *
 * @since 0.2.0
 * @category models
 */
export type Kind = "uploads" | "deletes" | "reads" | "assistants"

/**
 * Requests per minute of each kind; a kind left out is unthrottled until a 429 teaches it a limit.
 *
 * @since 0.2.0
 * @category models
 */
export interface Limits {
  readonly uploads?: number | undefined
  readonly deletes?: number | undefined
  readonly reads?: number | undefined
  /** @since 0.2.0 */
  readonly assistants?: number | undefined
}

/**
 * Pinecone's plans and their documented Assistant limits per minute: Starter 5 uploads, 5 deletes,
 * 100 file reads, 40 assistant requests; Standard 20/20/300/100; Enterprise 300/300/6,000/500.
 *
 * @since 0.2.0
 * @category constants
 */
export const plans = {
  starter: { uploads: 5, deletes: 5, reads: 100, assistants: 40 },
  standard: { uploads: 20, deletes: 20, reads: 300, assistants: 100 },
  enterprise: { uploads: 300, deletes: 300, reads: 6000, assistants: 500 }
} as const satisfies Record<string, Limits>

/**
 * A plan's name.
 *
 * @since 0.2.0
 * @category models
 */
export type Plan = keyof typeof plans

/**
 * What a budget has done for one kind: requests let through, 429s received, and its limit now
 * (`None`: unthrottled).
 *
 * @since 0.2.0
 * @category models
 */
export interface KindStats {
  readonly sent: number
  readonly tooManyRequests: number
  readonly perMinute: Option.Option<number>
}

/**
 * The mark of a budget made by {@link make}: a budget is opaque (how calls take its slots and tell it how they
 * ended is the library's own business), so only this module's constructors make one.
 *
 * @since 0.2.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.2.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A budget shared by every call that draws on it.
 *
 * @since 0.2.0
 * @category models
 */
export interface RateBudget {
  readonly [TypeId]: TypeId
  /** What the budget has done so far, per kind. */
  readonly stats: Effect.Effect<Readonly<Record<Kind, KindStats>>>
}

/**
 * A budget of these limits (per minute). With `adapt` (the default) a 429 also lowers a kind's
 * limit: an unthrottled kind takes the number of its requests that succeeded in the last minute, a
 * limited one 90 % of its limit.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (limits: Limits | Plan = {}, options?: { readonly adapt?: boolean | undefined }): RateBudget =>
  internal.make(typeof limits === "string" ? plans[limits] : limits, options?.adapt ?? true)

/**
 * A budget that starts unthrottled and learns each kind's limit from the 429s it receives.
 *
 * @since 0.2.0
 * @category constructors
 */
export const adaptive = (): RateBudget => make({})

/**
 * Runs `effect` with every `AssistantClient` call inside it drawing on `budget` (instead of the
 * client's own, if it has one).
 *
 * @example
 * ```ts
 * import { AssistantClient, RateBudget } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const starter = RateBudget.make("starter")
 * const program = AssistantClient.describeFile({ assistantName: "docs", fileId: "f-1" }).pipe(
 *   RateBudget.withBudget(starter)
 * )
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const withBudget: {
  (budget: RateBudget): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, budget: RateBudget): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, budget: RateBudget): Effect.Effect<A, E, R> =>
    Effect.locally(effect, internal.currentBudget, Option.some(budget))
)
