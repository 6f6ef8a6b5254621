import { Layer } from "effect"
import { PasswordHasherArgon2 } from "@nelo/adapters/auth/PasswordHasherArgon2"
import { PasswordHasherMemory } from "@nelo/adapters/memory/PasswordHasherMemory"
import { withEnv } from "../../support/withEnv.ts"
import { passwordHasherContract } from "./passwordHasherContract.ts"

passwordHasherContract("memory", PasswordHasherMemory)
// The smallest Argon2id parameters: the contract is about behaviour, not cost.
passwordHasherContract("argon2", PasswordHasherArgon2.pipe(Layer.provide(withEnv({ ARGON2_MEMORY_KIB: "1024", ARGON2_TIME_COST: "1" }))))
