import { type Device, DevicePlatform } from "@nelo/domain/users/Device"
import { Schema } from "effect"
import type { Address } from "@nelo/domain/users/Address"
import { type KycDocument, KycDocumentType, type KycState, KycStatus } from "@nelo/domain/users/Kyc"
import { Language, Role, type User } from "@nelo/domain/users/User"
import { Id, Instant, IntBetween, Point, Text } from "../shared/bounded.ts"

/** Where a stored object can be fetched; the avatar's URL depends on the storage in use. */
export type PublicUrlOf = (key: string) => string

const Url = Text(2000)

export const UserView = Schema.Struct({
  id: Id,
  phone: Text(16),
  fullName: Text(100),
  email: Schema.NullOr(Text(254)),
  language: Language,
  roles: Schema.Array(Role).pipe(Schema.check(Schema.isMaxLength(4))),
  referralCode: Text(16),
  hasPassword: Schema.Boolean,
  hasPin: Schema.Boolean,
  avatarUrl: Schema.NullOr(Url),
  createdAt: Instant
})

/** A phone receiving the user's push notifications (its token is not echoed back). */
export const DeviceView = Schema.Struct({
  id: Id,
  platform: DevicePlatform,
  createdAt: Instant,
  lastSeenAt: Instant
})

export const deviceView = (device: Device): typeof DeviceView.Type => ({
  id: device.id,
  platform: device.platform,
  createdAt: device.createdAt.toISOString(),
  lastSeenAt: device.lastSeenAt.toISOString()
})

export const AddressView = Schema.Struct({
  id: Id,
  label: Text(100),
  location: Point,
  landmark: Text(500),
  isDefault: Schema.Boolean,
  zone: Schema.NullOr(Schema.Struct({ id: Id, slug: Text(100), name: Text(200) })),
  createdAt: Instant,
  updatedAt: Instant
})

export const KycDocumentView = Schema.Struct({
  id: Id,
  type: KycDocumentType,
  contentType: Text(100),
  sizeBytes: IntBetween(0, 100_000_000),
  uploadedAt: Instant
})

export const KycView = Schema.Struct({
  status: KycStatus,
  rejectionReason: Schema.NullOr(Text(500)),
  reviewedAt: Schema.NullOr(Instant),
  documents: Schema.Array(Schema.Struct({ ...KycDocumentView.fields, url: Url })).pipe(Schema.check(Schema.isMaxLength(100)))
})

export const AvatarView = Schema.Struct({ avatarUrl: Url })

export const userView = (user: User, publicUrlOf: PublicUrlOf): typeof UserView.Type => ({
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

export const addressView = (address: Address): typeof AddressView.Type => ({
  id: address.id,
  label: address.label,
  location: address.location,
  landmark: address.landmark,
  isDefault: address.isDefault,
  zone: address.zone,
  createdAt: address.createdAt.toISOString(),
  updatedAt: address.updatedAt.toISOString()
})

export const kycDocumentView = (document: KycDocument): typeof KycDocumentView.Type => ({
  id: document.id,
  type: document.type,
  contentType: document.contentType,
  sizeBytes: document.sizeBytes,
  uploadedAt: document.uploadedAt.toISOString()
})

export const kycView = (state: Omit<KycState, "documents"> & { readonly documents: ReadonlyArray<KycDocument & { readonly url: string }> }): typeof KycView.Type => ({
  status: state.status,
  rejectionReason: state.rejectionReason,
  reviewedAt: state.reviewedAt?.toISOString() ?? null,
  documents: state.documents.map((document) => ({ ...kycDocumentView(document), url: document.url }))
})
