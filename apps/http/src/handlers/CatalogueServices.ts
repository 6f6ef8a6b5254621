import type { CatalogueCache } from "@nelo/domain/catalogue/CatalogueCache"
import type { MenuRepository } from "@nelo/domain/catalogue/MenuRepository"
import type { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import type { ImageProcessor } from "@nelo/domain/users/ImageProcessor"
import type { UserRepository } from "@nelo/domain/users/UserRepository"

/** The ports the catalogue use cases need; the handlers capture them when the server starts. */
export type CatalogueServices =
  | CatalogueCache
  | IdGenerator
  | ImageProcessor
  | MenuRepository
  | ObjectStorage
  | ProviderRepository
  | UserRepository
