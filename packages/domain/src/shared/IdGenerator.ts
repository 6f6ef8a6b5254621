import { Context, Effect } from "effect"

/**
 * Where new identifiers come from. UUID v7 (time-ordered) keeps B-tree inserts local; the domain
 * never calls a random source itself so tests can make ids deterministic.
 */
export class IdGenerator extends Context.Service<IdGenerator, {
  readonly uuid: Effect.Effect<string>
}>()("nelo/shared/IdGenerator") {}
