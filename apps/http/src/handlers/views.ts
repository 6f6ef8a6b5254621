import type { Session } from "@nelo/domain/auth/Session"
import type { SignedIn } from "@nelo/domain/auth/openSession"
import type { Address } from "@nelo/domain/users/Address"
import type { KycDocument, KycState } from "@nelo/domain/users/Kyc"
import type { User } from "@nelo/domain/users/User"

/** Where a stored object can be fetched; the avatar's URL depends on the storage in use. */
export type PublicUrlOf = (key: string) => string

export const userView = (user: User, publicUrlOf: PublicUrlOf) => ({
  id: user.id,
  phone: user.phone,
  fullName: user.fullName,
  email: user.email,
  language: user.language,
  roles: user.roles,
  referralCode: user.referralCode,
  hasPassword: user.hasPassword,
  hasPin: user.hasPin,
  avatarUrl: user.avatarKey === null ? null : publicUrlOf(user.avatarKey),
  createdAt: user.createdAt.toISOString()
})

export const signedInView = (publicUrlOf: PublicUrlOf) => (signedIn: SignedIn) => ({
  accessToken: signedIn.accessToken,
  accessTokenExpiresAt: signedIn.accessTokenExpiresAt.toISOString(),
  refreshToken: signedIn.refreshToken,
  refreshTokenExpiresAt: signedIn.refreshTokenExpiresAt.toISOString(),
  user: userView(signedIn.user, publicUrlOf)
})

export const sessionView = (session: Session, currentSessionId: string) => ({
  id: session.id,
  deviceLabel: session.deviceLabel,
  createdAt: session.createdAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.id === currentSessionId
})

export const addressView = (address: Address) => ({
  id: address.id,
  label: address.label,
  location: address.location,
  landmark: address.landmark,
  isDefault: address.isDefault,
  zone: address.zone,
  createdAt: address.createdAt.toISOString(),
  updatedAt: address.updatedAt.toISOString()
})

export const kycDocumentView = (document: KycDocument) => ({
  id: document.id,
  type: document.type,
  contentType: document.contentType,
  sizeBytes: document.sizeBytes,
  uploadedAt: document.uploadedAt.toISOString()
})

export const kycView = (state: Omit<KycState, "documents"> & { readonly documents: ReadonlyArray<KycDocument & { readonly url: string }> }) => ({
  status: state.status,
  rejectionReason: state.rejectionReason,
  reviewedAt: state.reviewedAt?.toISOString() ?? null,
  documents: state.documents.map((document) => ({ ...kycDocumentView(document), url: document.url }))
})
