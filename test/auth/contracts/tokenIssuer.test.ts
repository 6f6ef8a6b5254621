import { Layer } from "effect"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { TokenIssuerMemory } from "@nelo/adapters/memory/TokenIssuerMemory"
import { withEnv } from "../../support/withEnv.ts"
import { tokenIssuerContract } from "./tokenIssuerContract.ts"

tokenIssuerContract("memory", TokenIssuerMemory)
// The development keys, whatever this machine's env says.
tokenIssuerContract("jose", TokenIssuerJose.pipe(Layer.provide(withEnv({ JWT_SIGNING_KEYS: undefined, JWT_ACTIVE_KEY_ID: undefined }))))
