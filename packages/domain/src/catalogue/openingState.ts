import { isOpen, nextOpenAt } from "./openingHours.ts"
import type { Provider } from "./Provider.ts"

/** A provider as a customer sees it at an instant: open or not, and when it next opens if closed. */
export interface ProviderAtInstant {
  readonly provider: Provider
  readonly isOpen: boolean
  /** Epoch ms; undefined when open, paused, or without hours ahead. */
  readonly nextOpenAtMs: number | undefined
}

export const providerAt = (provider: Provider, instantMs: number): ProviderAtInstant => {
  const open = isOpen(provider.schedule, instantMs)
  return { provider, isOpen: open, nextOpenAtMs: open ? undefined : nextOpenAt(provider.schedule, instantMs) }
}
