import { describe, expect, it } from "vitest"
import { canCreateProviderFor, canManageProvider } from "@nelo/domain/catalogue/Provider"
import type { UserId } from "@nelo/domain/users/User"

const owner = "owner-1" as UserId
const other = "owner-2" as UserId

describe("who manages a provider's catalogue", () => {
  it("its owner (with the provider role) or an admin; nobody else", () => {
    expect(canManageProvider({ userId: owner, roles: ["client", "provider"] }, { ownerId: owner })).toBe(true)
    expect(canManageProvider({ userId: other, roles: ["client", "admin"] }, { ownerId: owner })).toBe(true)
    expect(canManageProvider({ userId: other, roles: ["client", "provider"] }, { ownerId: owner })).toBe(false)
    // The owner who lost the provider role no longer manages it.
    expect(canManageProvider({ userId: owner, roles: ["client"] }, { ownerId: owner })).toBe(false)
  })

  it("a provider creates their own; only an admin creates one for someone else", () => {
    expect(canCreateProviderFor({ userId: owner, roles: ["provider"] }, owner)).toBe(true)
    expect(canCreateProviderFor({ userId: owner, roles: ["provider"] }, other)).toBe(false)
    expect(canCreateProviderFor({ userId: owner, roles: ["admin"] }, other)).toBe(true)
    expect(canCreateProviderFor({ userId: owner, roles: ["client", "driver"] }, owner)).toBe(false)
  })
})
