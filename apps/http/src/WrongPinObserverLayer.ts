import { Layer } from "effect"
import { WrongPinObserver } from "@nelo/domain/auth/WrongPinObserver"
import { makeWrongPinObserver } from "@nelo/domain/wallet/wrongPinWatch"

/** Wrong PINs, wherever checked, counted by the wallet's daily freeze rule. */
export const WrongPinObserverLayer = Layer.effect(WrongPinObserver, makeWrongPinObserver)
