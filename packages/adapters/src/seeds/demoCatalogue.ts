import type { Category } from "@nelo/domain/catalogue/Category"
import type { GasBrand, GasProduct, OptionGroup, Product } from "@nelo/domain/catalogue/Product"
import type { ProviderType } from "@nelo/domain/catalogue/Provider"
import type { OpeningInterval, Schedule } from "@nelo/domain/catalogue/Schedule"
import type { DemoCatalogue, DemoCatalogueOptions, DemoOwner, DemoProviderEntry } from "@nelo/domain/catalogue/seedDemoCatalogue"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { Phone } from "@nelo/domain/shared/Phone"
import type { Xof } from "@nelo/domain/shared/Xof"

// A demo catalogue around Tiassalé, for demonstrations and load tests: maquis, garbadromes,
// allocos, restaurants, boutiques, superettes and butane depots with their menus, hours and bottles.
//
// Pure and deterministic: provider number `index` of seed `seed` is always the same, whatever the
// batch it is made in and however many providers are asked for (each provider draws from its own
// generator, seeded from (seed, index)). Its ids are derived from (seed, index) too, so importing
// the same seed twice finds the same ids: the store skips what it already has.
//
// Seed data, not a rule: the domain's use case `seedDemoCatalogue` writes it, taking it as `demoCatalogue`.

// ---------------------------------------------------------------------------------------------
// Randomness: a seeded generator per provider (mulberry32), and a keyed permutation for names.

/** Murmur3's 32-bit finalizer: a good mix of all input bits, used to derive seeds and keys. */
const mix32 = (value: number): number => {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** mulberry32: a tiny 32-bit generator, uniform floats in [0, 1). Plenty for demo data. */
export const mulberry32 = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Draw {
  readonly float: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  readonly chance: (probability: number) => boolean
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly weighted: <A>(entries: ReadonlyArray<readonly [A, number]>) => A
  /** A shuffled copy (Fisher-Yates). */
  readonly shuffled: <A>(items: ReadonlyArray<A>) => Array<A>
  /** Normal-ish (sum of three uniforms), mean 0, standard deviation about 1. */
  readonly bell: () => number
}

const drawFrom = (next: () => number): Draw => {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    float: next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (entries) => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
      let point = next() * total
      for (const [value, weight] of entries) {
        point -= weight
        if (point < 0) return value
      }
      return entries[entries.length - 1]![0]
    },
    shuffled: (items) => {
      const copy = [...items]
      for (let index = copy.length - 1; index > 0; index--) {
        const other = Math.floor(next() * (index + 1))
        const kept = copy[index]!
        copy[index] = copy[other]!
        copy[other] = kept
      }
      return copy
    },
    bell: () => (next() + next() + next() - 1.5) * 2
  }
}

/**
 * A bijection of [0, size) keyed by `key`: a 4-round Feistel network on the smallest even number of
 * bits covering `size`, walking the cycle until it lands inside the range. Different inputs give
 * different outputs, which is what makes provider names unique without remembering any.
 */
const permute = (value: number, size: number, key: number): number => {
  if (size <= 1) return 0
  let bits = Math.max(2, 32 - Math.clz32(size - 1))
  if (bits % 2 === 1) bits += 1
  const half = bits / 2
  const mask = (1 << half) - 1
  let x = value
  do {
    let left = x >>> half
    let right = x & mask
    for (let round = 0; round < 4; round++) {
      const f = mix32(right ^ Math.imul(key + round, 0x9e3779b9)) & mask
      const nextRight = left ^ f
      left = right
      right = nextRight
    }
    x = ((left << half) | right) >>> 0
  } while (x >= size)
  return x
}

// ---------------------------------------------------------------------------------------------
// Ids. UUID version 8 (RFC 9562, "custom"): seed, kind, then provider index and a sub-index, in
// that order, so that a batch's ids are adjacent in every B-tree. They read, for provider 42 of
// seed 7: 00000007-0001-8000-8000-0000002a0000.

const idKinds = { provider: 1, category: 2, product: 3, gasProduct: 4, optionGroup: 5, option: 6 } as const

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0")

const demoId = (seed: number, kind: keyof typeof idKinds, index: number, sub = 0) =>
  `${hex(seed >>> 0, 8)}-${hex(idKinds[kind], 4)}-8000-8000-${hex(index, 8)}${hex(sub, 4)}`

/** The id the demo gives provider `index` of `seed` (the same on every run). */
export const demoProviderId = (seed: number, index: number) => demoId(seed, "provider", index)

// ---------------------------------------------------------------------------------------------
// Limits and the mix of providers.

/** What `seed demo` accepts: enough for load tests, small enough for a laptop. */
export const demoLimits = {
  providers: { minimum: 1, maximum: 100_000 },
  productsPerProvider: { minimum: 0, maximum: 200 },
  seed: { minimum: 0, maximum: 4_294_967_295 }
} as const

/** Each demo owner account holds this many consecutive providers. */
export const providersPerDemoOwner = 50

export const demoOwnerCount = (providers: number) => Math.ceil(providers / providersPerDemoOwner)

// Types follow a fixed pattern of 20 (12 restaurants, 5 groceries, 3 gas depots: 60/25/15 %), so
// that a provider's rank among those of its type is known from its index alone.
const R = "restaurant" as const
const G = "grocery" as const
const D = "gas_depot" as const
const typePattern: ReadonlyArray<ProviderType> = [R, G, R, D, R, R, G, R, R, D, R, G, R, R, R, G, D, R, G, R]

/** Position i of a pattern → (count of its value per period, rank of i among equal values before it). */
const ranksOf = <A>(pattern: ReadonlyArray<A>) => {
  const seen = new Map<A, number>()
  const ranks = pattern.map((value) => {
    const rank = seen.get(value) ?? 0
    seen.set(value, rank + 1)
    return rank
  })
  return { ranks, perPeriod: seen }
}

const typeRanks = ranksOf(typePattern)

/** A value of a repeating pattern at `ordinal`, and the ordinal of this value among its equals. */
const patternAt = <A>(pattern: ReadonlyArray<A>, ranks: { ranks: ReadonlyArray<number>; perPeriod: Map<A, number> }, ordinal: number) => {
  const position = ordinal % pattern.length
  const value = pattern[position]!
  return { value, ordinal: Math.floor(ordinal / pattern.length) * ranks.perPeriod.get(value)! + ranks.ranks[position]! }
}

type RestaurantStyle = "maquis" | "garba" | "alloco" | "restaurant" | "grill"
type GroceryStyle = "boutique" | "superette"
type Style = RestaurantStyle | GroceryStyle | "depot"

// Among restaurants: maquis 40 %, garbadromes 15 %, allocos 10 %, restaurants 25 %, grills 10 %.
const restaurantStyles: ReadonlyArray<RestaurantStyle> = [
  "maquis", "garba", "restaurant", "maquis", "alloco", "maquis", "restaurant", "grill", "maquis", "garba",
  "restaurant", "maquis", "alloco", "maquis", "restaurant", "garba", "maquis", "grill", "restaurant", "maquis"
]
const restaurantStyleRanks = ranksOf(restaurantStyles)
// Among groceries: boutiques de quartier 60 %, superettes 40 %.
const groceryStyles: ReadonlyArray<GroceryStyle> = ["boutique", "superette", "boutique", "boutique", "superette"]
const groceryStyleRanks = ranksOf(groceryStyles)

// ---------------------------------------------------------------------------------------------
// Names. Each style has a space of names (forms, each a product of word lists); the n-th provider
// of a style takes name number permute(n) of that space, so names never repeat; past the size of
// the space, the names come round again numbered: "Boutique Moussa n°2".

const women = [
  "Akissi", "Adjoua", "Amenan", "Ahou", "Affoué", "Aya", "Amoin", "Akoua", "Amlan", "Awa", "Mariam", "Fatou", "Aminata", "Salimata",
  "Kadi", "Rokia", "Assita", "Nadège", "Bénédicte", "Clémence", "Adjo", "Ama", "Apo", "Djénéba", "Kadidja", "Maïmouna", "Fanta",
  "Bintou", "Massandjé", "Ténin", "Éléonore", "Georgette", "Odile", "Pélagie", "Viviane", "Solange", "Christelle", "Josiane", "Hortense", "Félicité"
]
const men = [
  "Koffi", "Kouassi", "Kouamé", "Yao", "Kouadio", "Konan", "N'Guessan", "Kacou", "Moussa", "Seydou", "Ibrahim", "Bakary", "Lassina",
  "Drissa", "Mamadou", "Souleymane", "Adama", "Issouf", "Jérôme", "Désiré", "Aboubakar", "Brahima", "Karim", "Siaka", "Yacouba",
  "Zoumana", "Dramane", "Losseni", "Ousmane", "Tiémoko", "Ange", "Serge", "Hervé", "Didier", "Honoré", "Firmin", "Théodore", "Élysée", "Noël", "Guy-Roger"
]
const surnames = [
  "Kouassi", "Kouamé", "Koné", "Traoré", "Ouattara", "Diabaté", "Bamba", "Coulibaly", "Yao", "N'Dri", "Aka", "Assi", "Ehui", "Brou", "Tanoh",
  "Kablan", "Aké", "Touré", "Diallo", "Sanogo", "Konaté", "Gnamien", "Ahouan", "Amani", "Gbané", "Dosso", "Fofana", "Cissé", "Doumbia", "Yéo"
]
const places = [
  "du Carrefour", "de la Gare", "du Marché", "du Pont", "de la Mosquée", "du Stade", "de la Mairie", "du Bandama", "de la Préfecture", "du Lycée",
  "de l'Église", "du Goudron", "de la Pharmacie", "du Château d'eau", "de la Poste", "du Centre", "du Rond-point", "de l'Hôpital", "de la Station", "des Manguiers"
]
/** A place, or none: "Maquis Le Baobab" and "Maquis Le Baobab du Pont". */
const maybePlace = ["", ...places]
const emblems = [
  "Le Baobab", "Le Bandama", "La Paillote", "Le Fromager", "Les Cocotiers", "La Terrasse", "Le Jardin", "L'Escale", "Le Palmier", "Le Calao",
  "La Détente", "Le Bon Coin", "La Joie de Vivre", "Le Rendez-vous", "L'Harmattan", "La Lagune", "Le Manguier", "Les Délices", "Le Kapokier", "L'Étoile",
  "Le Flamboyant", "Les Rôniers", "La Belle Époque", "Le Prestige", "La Source", "Le Carrefour des Amis", "La Case", "Le Tam-Tam", "L'Éléphant", "Le Djembé"
]
const blessings = [
  "La Confiance", "Le Bon Prix", "Grâce Divine", "La Bénédiction", "Le Bon Samaritain", "Dieu Merci", "La Providence", "L'Espoir", "La Paix", "Le Partage",
  "Bonne Humeur", "La Référence", "Sainte Famille", "Ciel Ouvert", "Excellence", "Le Bon Berger", "Dieu Est Grand", "La Grâce", "Le Bon Voisin", "Merci Seigneur"
]
const brands: ReadonlyArray<GasBrand> = ["Petroci", "Oryx", "Petro Ivoire", "Total", "Districom", "Sinam", "Ivoire Butane"]

/** Word lists multiplied together; an empty word is left out of the name. */
type NameForm = ReadonlyArray<ReadonlyArray<string>>

// Each style has thousands of names (so 10,000 providers need no numbers, 100,000 a few).
const nameSpaces: Readonly<Record<Style, ReadonlyArray<NameForm>>> = {
  maquis: [
    [["Maquis Chez Tantie", "Maquis Chez Maman", "Maquis Chez Tata", "Maquis Chez Mama"], women, maybePlace],
    [["Maquis Chez", "Maquis Chez Tonton", "Maquis Chez le Vieux"], men, maybePlace],
    [["Maquis", "Maquis-Bar", "Bar-Maquis"], emblems, maybePlace]
  ],
  garba: [
    [["Garbadrome"], places],
    [["Garbadrome Chez", "Garba Chez", "Garba Chez Tonton"], men, maybePlace]
  ],
  alloco: [
    [["Alloco Mama", "Alloco Tantie", "Allocodrome Chez Maman", "Alloco Chez"], women, maybePlace],
    [["Allocodrome"], places]
  ],
  restaurant: [
    [["Restaurant", "Cafétéria", "Restaurant-Bar"], emblems, maybePlace],
    [["Restaurant Chez"], [...women, ...men], maybePlace],
    [["Restaurant"], ["La Bonne Table", "Le Délice Ivoirien", "Saveurs d'Éburnie", "Le Palais du Goût", "La Marmite", "Le Fin Gourmet"], maybePlace]
  ],
  grill: [
    [["Dibiterie Chez", "Choukouya Chez", "Grillades Chez", "Chawarma Chez"], men, maybePlace],
    [["Fast-food", "Chawarma"], emblems, maybePlace]
  ],
  boutique: [
    [["Boutique"], men, ["", ...surnames, ...places]],
    [["Alimentation", "Boutique"], blessings, maybePlace]
  ],
  superette: [
    [["Superette", "Supérette", "Épicerie", "Alimentation Générale"], blessings, maybePlace],
    [["Alimentation Générale", "Épicerie"], men, surnames]
  ],
  depot: [
    [["Dépôt de gaz"], brands, ["", ...surnames], maybePlace],
    [["Gaz Service", "Point Gaz"], places],
    [["Point Gaz Chez", "Dépôt de gaz Chez"], men, maybePlace],
    [["Dépôt"], brands, ["Chez"], men]
  ]
}

const formSize = (form: NameForm) => form.reduce((size, words) => size * words.length, 1)
const spaceSizes = Object.fromEntries(Object.entries(nameSpaces).map(([style, forms]) => [style, forms.reduce((sum, form) => sum + formSize(form), 0)])) as Record<Style, number>

/** The name at `position` of a style's space: its form, then mixed-radix digits over the word lists. */
const nameAt = (style: Style, position: number): { readonly name: string; readonly words: ReadonlyArray<string> } => {
  let rest = position
  for (const form of nameSpaces[style]) {
    const size = formSize(form)
    if (rest >= size) {
      rest -= size
      continue
    }
    const words = form.map((list) => {
      const word = list[rest % list.length]!
      rest = Math.floor(rest / list.length)
      return word
    })
    return { name: words.filter((word) => word !== "").join(" "), words }
  }
  throw new Error(`name position ${position} outside the ${style} space`)
}

const uniqueName = (style: Style, styleOrdinal: number, seed: number) => {
  const size = spaceSizes[style]
  const round = Math.floor(styleOrdinal / size)
  const picked = nameAt(style, permute(styleOrdinal % size, size, mix32(seed ^ 0x5bd1e995)))
  return { name: round === 0 ? picked.name : `${picked.name} n°${round + 1}`, words: picked.words }
}

// ---------------------------------------------------------------------------------------------
// Places: most providers in the six quartiers of the town (the market busiest), some in the towns
// of the commune, a few on the roads out of town, outside every zone (they cannot sell yet).

const zoneBoxes = new Map(tiassale.zones.map((zone) => {
  const lats = zone.boundary.map((point) => point.lat)
  const lngs = zone.boundary.map((point) => point.lng)
  return [zone.slug, { name: zone.name, south: Math.min(...lats), north: Math.max(...lats), west: Math.min(...lngs), east: Math.max(...lngs) }] as const
}))

type Area = "dafindougou" | "tchegbanalogo" | "ptt" | "baoulekro" | "prof" | "tchamtchaka" | "ndouci" | "morokro" | "gbolouville" | "pacobo" | "taabo" | "outskirts"

const areas: ReadonlyArray<readonly [Area, number]> = [
  ["tchegbanalogo", 22], ["dafindougou", 12], ["baoulekro", 12], ["ptt", 10], ["prof", 10], ["tchamtchaka", 9],
  ["ndouci", 12], ["morokro", 4], ["gbolouville", 3], ["pacobo", 2], ["taabo", 1], ["outskirts", 3]
]
const quartiers = new Set<Area>(["dafindougou", "tchegbanalogo", "ptt", "baoulekro", "prof", "tchamtchaka"])

const townLandmarks = [
  "face à la gare routière", "à côté de la pharmacie du marché", "derrière la grande mosquée", "en face de l'église catholique",
  "près du grand marché", "à côté de l'école primaire publique", "face à la station-service", "près de la mairie",
  "au carrefour de la préfecture", "à côté du terrain de football", "près du centre de santé", "derrière le commissariat",
  "face à la poste", "au bord du goudron", "à côté du kiosque Orange Money", "près du lycée moderne",
  "derrière le château d'eau", "à côté de la boulangerie", "en face du cimetière", "près du temple protestant"
]
const villageLandmarks = [
  "au carrefour principal", "près du marché", "face à la gare", "à côté de l'école", "près de la chefferie",
  "au bord de la route", "derrière la mosquée", "à côté de la pharmacie", "en face du centre de santé"
]
const outskirtsLandmarks = [
  "sur la route de N'Douci, après le pont du Bandama", "à la sortie de la ville, route de Divo", "route de Taabo, après la plantation d'hévéas",
  "sur la voie de Morokro, au bord du goudron", "route de Gbolouville, près du corridor"
]

const roundTo = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals

const placeFor = (draw: Draw): { readonly location: GeoPoint; readonly landmark: string } => {
  const area = draw.weighted(areas)
  if (area === "outskirts") {
    // 2.4 to 3.2 km from the town centre: past the corners of the town's quartiers, short of N'Douci.
    const angle = draw.float() * 2 * Math.PI
    const km = 2.4 + draw.float() * 0.8
    const location = { lat: roundTo(tiassale.center.lat + (km / 111.32) * Math.sin(angle), 6), lng: roundTo(tiassale.center.lng + (km / 110.7) * Math.cos(angle), 6) }
    return { location, landmark: draw.pick(outskirtsLandmarks) }
  }
  const box = zoneBoxes.get(area)!
  if (quartiers.has(area)) {
    // Anywhere in the quartier, kept 5 % away from its edges (no point on a shared boundary).
    const lat = box.south + (0.05 + 0.9 * draw.float()) * (box.north - box.south)
    const lng = box.west + (0.05 + 0.9 * draw.float()) * (box.east - box.west)
    return { location: { lat: roundTo(lat, 6), lng: roundTo(lng, 6) }, landmark: `${box.name}, ${draw.pick(townLandmarks)}` }
  }
  // Around the centre of a neighbouring town, mostly within a kilometre, always inside its square.
  const centreLat = (box.south + box.north) / 2
  const centreLng = (box.west + box.east) / 2
  const reach = 0.9 * (box.north - box.south) / 2
  const clamp = (value: number) => Math.max(-reach, Math.min(reach, value))
  const lat = centreLat + clamp(draw.bell() * 0.006)
  const lng = centreLng + clamp(draw.bell() * 0.006)
  return { location: { lat: roundTo(lat, 6), lng: roundTo(lng, 6) }, landmark: `${box.name}, ${draw.pick(villageLandmarks)}` }
}

// ---------------------------------------------------------------------------------------------
// Hours, in Africa/Abidjan. Past-midnight intervals close the next day (18:00–02:00).

const at = (opens: string, closes: string): OpeningInterval => ({ opens, closes })
const days = (weekdays: ReadonlyArray<number>, intervals: ReadonlyArray<OpeningInterval>) => weekdays.map((weekday) => ({ weekday, intervals }))
const mondayToSaturday = [1, 2, 3, 4, 5, 6]

// Public holidays of Côte d'Ivoire some places close (or shorten) for.
const holidays: Schedule["exceptions"] = [
  { date: "2026-08-07", intervals: [at("10:00", "14:00")] }, // fête de l'Indépendance
  { date: "2026-11-15", intervals: [] }, // journée nationale de la Paix
  { date: "2026-12-25", intervals: [] }, // Noël
  { date: "2027-01-01", intervals: [] } // jour de l'An
]

const weeklyFor = (style: Style, draw: Draw): Schedule["weekly"] => {
  switch (style) {
    case "maquis": {
      const lunch = at(draw.pick(["11:00", "11:30"]), "15:00")
      const night = at("18:00", draw.pick(["01:00", "02:00", "02:00"]))
      const weekend = at("18:00", draw.pick(["02:00", "03:00"]))
      return [
        ...days([1, 2, 3, 4], [lunch, night]),
        ...days([5, 6], [lunch, weekend]),
        ...(draw.chance(0.8) ? days([7], [at("12:00", "15:00"), at("17:00", "24:00")]) : [])
      ]
    }
    case "garba":
      return [
        ...days(mondayToSaturday, [at(draw.pick(["06:30", "07:00"]), "14:00"), at("17:00", draw.pick(["21:30", "22:00"]))]),
        ...(draw.chance(0.6) ? days([7], [at("08:00", "13:00")]) : [])
      ]
    case "alloco":
      return days(draw.chance(0.3) ? [2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5, 6, 7], [at(draw.pick(["16:00", "16:30", "17:00"]), "23:00")])
    case "restaurant":
      return [
        ...days(mondayToSaturday, [at(draw.pick(["10:00", "11:00"]), draw.pick(["22:00", "22:30"]))]),
        ...(draw.chance(0.7) ? days([7], [at("12:00", "22:00")]) : [])
      ]
    case "grill":
      return days([1, 2, 3, 4, 5, 6, 7], [at(draw.pick(["17:00", "18:00"]), draw.pick(["01:00", "02:00"]))])
    case "boutique":
      return [...days(mondayToSaturday, [at(draw.pick(["06:30", "07:00"]), "22:00")]), ...days([7], [at("07:00", "21:00")])]
    case "superette":
      return [
        ...days(mondayToSaturday, [at(draw.pick(["07:00", "07:30"]), draw.pick(["20:30", "21:00"]))]),
        ...(draw.chance(0.6) ? days([7], [at("08:00", "13:00")]) : [])
      ]
    case "depot":
      return [
        ...days(mondayToSaturday, [at("07:30", "19:00")]),
        ...(draw.chance(0.4) ? days([7], [at("08:00", "12:00")]) : [])
      ]
  }
}

const scheduleFor = (style: Style, draw: Draw): Schedule => ({
  timeZone: "Africa/Abidjan",
  weekly: weeklyFor(style, draw),
  exceptions: draw.chance(0.2) ? holidays.filter(() => draw.chance(0.4)) : [],
  // Now and then a depot is out of gas, or a kitchen closed for a funeral.
  paused: draw.chance(style === "depot" ? 0.04 : 0.01)
})

// ---------------------------------------------------------------------------------------------
// Descriptions.

const descriptions: Readonly<Record<Style, ReadonlyArray<string>>> = {
  maquis: [
    "Maquis familial : attiéké poisson braisé, poulet braisé et kédjénou au feu de bois. Terrasse ombragée.",
    "Cuisine ivoirienne comme à la maison : foutou, placali, sauces graine et gombo. Ambiance le soir.",
    "Poisson et poulet braisés, alloco, boissons bien fraîches. Musique le week-end.",
    "Le maquis du quartier depuis 2009 : grillades, sauces du jour et bissap maison."
  ],
  garba: [
    "Garba chaud toute la journée : attiéké frais, thon frit, piment et oignons.",
    "Le vrai garba de Tiassalé, attiéké du jour et poisson frit sur place.",
    "Garba, attiéké poulet et alloco, à emporter ou livré."
  ],
  alloco: [
    "Alloco doré, poisson frit et œufs, tous les soirs.",
    "Banane plantain frite à la minute, brochettes et piment maison.",
    "Alloco, poisson et igname frite : le goûter préféré du quartier."
  ],
  restaurant: [
    "Cuisine ivoirienne et africaine, plats du jour et grillades. Salle climatisée.",
    "Riz gras, poulet DG, kédjénou et poisson braisé. Service rapide le midi.",
    "Restaurant familial : plats ivoiriens, spaghettis et salades, jus naturels."
  ],
  grill: [
    "Choukouya de mouton, brochettes et chawarmas, grillés devant vous.",
    "Grillades du soir : mouton, bœuf, poulet, avec oignons et piment.",
    "Chawarmas, burgers et frites, jusqu'à tard dans la nuit."
  ],
  boutique: [
    "Boutique de quartier ouverte tôt et tard : riz, huile, sucre, lait, savon, crédit téléphonique.",
    "Produits de première nécessité au prix du quartier.",
    "Tout pour la maison et la cuisine, à deux pas de chez vous."
  ],
  superette: [
    "Supérette : alimentation, boissons, hygiène et entretien, à prix raisonnables.",
    "Épicerie bien achalandée : conserves, produits laitiers, petit-déjeuner, boissons fraîches.",
    "Alimentation générale, produits frais et importés."
  ],
  depot: [
    "Recharge et vente de bouteilles de gaz butane, toutes tailles courantes.",
    "Dépôt agréé : recharges B6 et B12 au prix officiel, bouteilles neuves avec consigne.",
    "Gaz domestique livré à domicile, échange de bouteilles vides."
  ]
}

// ---------------------------------------------------------------------------------------------
// Menus. A template is a product before its provider's prices and ids.

interface GroupTemplate {
  readonly kind: OptionGroup["kind"]
  readonly name: string
  readonly minChoices: number
  readonly maxChoices: number
  readonly options: ReadonlyArray<readonly [name: string, deltaXof: number]>
}

interface ProductTemplate {
  readonly category: string
  readonly name: string
  readonly description: string
  readonly priceXof: number
  /** Bottled drinks and groceries are counted; dishes are cooked to order (not counted). */
  readonly counted: boolean
  readonly groups: ReadonlyArray<GroupTemplate>
}

const dish = (category: string, name: string, description: string, priceXof: number, groups: ReadonlyArray<GroupTemplate> = []): ProductTemplate =>
  ({ category, name, description, priceXof, counted: false, groups })
const item = (category: string, name: string, description: string, priceXof: number, groups: ReadonlyArray<GroupTemplate> = []): ProductTemplate =>
  ({ category, name, description, priceXof, counted: true, groups })

const side: GroupTemplate = {
  kind: "choice",
  name: "Accompagnement",
  minChoices: 1,
  maxChoices: 1,
  options: [["Attiéké", 0], ["Alloco", 200], ["Riz blanc", 0], ["Frites", 300], ["Placali", 0]]
}
const extras: GroupTemplate = {
  kind: "choice",
  name: "Suppléments",
  minChoices: 0,
  maxChoices: 3,
  options: [["Œuf dur", 100], ["Alloco", 300], ["Piment à part", 0], ["Oignons et tomates", 0], ["Avocat", 200]]
}
const garbaSize: GroupTemplate = {
  kind: "size",
  name: "Taille",
  minChoices: 1,
  maxChoices: 1,
  options: [["Petit", 0], ["Moyen", 200], ["Grand", 500]]
}
const garbaExtras: GroupTemplate = {
  kind: "choice",
  name: "Suppléments",
  minChoices: 0,
  maxChoices: 4,
  options: [["Œuf dur", 100], ["Alloco", 200], ["Thon en plus", 300], ["Piment", 0], ["Oignons", 0]]
}
const chickenSize: GroupTemplate = { kind: "size", name: "Portion", minChoices: 1, maxChoices: 1, options: [["Demi-poulet", 0], ["Poulet entier", 2500]] }
const juiceSize: GroupTemplate = { kind: "size", name: "Format", minChoices: 1, maxChoices: 1, options: [["Bouteille 50 cl", 0], ["Bouteille 1 L", 400]] }
const spice: GroupTemplate = { kind: "choice", name: "Piment", minChoices: 1, maxChoices: 1, options: [["Sans piment", 0], ["Pimenté", 0], ["Très pimenté", 0]] }

// Sauces of the Ivorian kitchen and what they are eaten with.
const sauceDishes: ReadonlyArray<ProductTemplate> = (() => {
  const bases: ReadonlyArray<readonly [string, number, ReadonlyArray<string>]> = [
    ["Foutou igname", 1000, ["graine", "claire", "arachide", "aubergine", "gombo"]],
    ["Foutou banane", 1000, ["graine", "claire", "arachide", "aubergine", "gombo", "feuille"]],
    ["Riz", 700, ["arachide", "claire", "gombo", "feuille", "tomate", "pistache", "djoumgblé"]],
    ["Placali", 800, ["kplala", "gombo", "feuille", "djoumgblé", "graine", "claire"]],
    ["Kabato", 700, ["gombo", "feuille", "djoumgblé", "arachide"]]
  ]
  const meats: ReadonlyArray<readonly [string, number]> = [
    ["au poisson fumé", 500], ["au poulet", 800], ["à la viande de bœuf", 700], ["au mouton", 1000],
    ["aux escargots", 1500], ["au crabe", 1200], ["au silure", 1000]
  ]
  return bases.flatMap(([base, basePrice, sauces]) =>
    sauces.flatMap((sauce) =>
      meats.map(([meat, meatPrice]) =>
        dish("Plats", `${base} sauce ${sauce} ${meat}`, `${base} servi avec une sauce ${sauce} ${meat}, préparée le matin.`, basePrice + meatPrice)
      )
    )
  )
})()

const drinks: ReadonlyArray<ProductTemplate> = [
  item("Boissons", "Bissap", "Jus de fleurs d'hibiscus, maison, bien frais.", 300, [juiceSize]),
  item("Boissons", "Gnamankoudji", "Jus de gingembre pressé, citronné.", 300, [juiceSize]),
  item("Boissons", "Jus de baobab", "Jus de pain de singe au lait, maison.", 400, [juiceSize]),
  item("Boissons", "Jus de passion", "Fruits de la passion pressés.", 500),
  item("Boissons", "Jus de tamarin", "Tamarin sucré, maison.", 300),
  item("Boissons", "Eau minérale (1,5 L)", "Bouteille d'eau minérale.", 500),
  item("Boissons", "Eau minérale (50 cl)", "Petite bouteille d'eau minérale.", 250),
  item("Boissons", "Coca-Cola (33 cl)", "Canette bien fraîche.", 500),
  item("Boissons", "Fanta orange (33 cl)", "Canette bien fraîche.", 500),
  item("Boissons", "Youki Soda (33 cl)", "Le soda ivoirien.", 500),
  item("Boissons", "Malta Guinness (33 cl)", "Boisson maltée sans alcool.", 600),
  item("Boissons", "Flag (65 cl)", "Bière blonde, grande bouteille.", 800),
  item("Boissons", "Bock (65 cl)", "Bière blonde, grande bouteille.", 800),
  item("Boissons", "Castel (65 cl)", "Bière blonde, grande bouteille.", 900),
  item("Boissons", "Guinness (33 cl)", "Bière brune.", 1000),
  item("Boissons", "Vin de palme (bangui)", "Bangui frais du jour, la calebasse.", 500)
]

const desserts: ReadonlyArray<ProductTemplate> = [
  dish("Desserts", "Dèguê", "Couscous de mil au lait caillé sucré, bien frais.", 500),
  dish("Desserts", "Salade de fruits", "Mangue, papaye, ananas et banane de saison.", 700),
  dish("Desserts", "Gbofloto (5 beignets)", "Beignets de farine sucrés, tout chauds.", 200),
  dish("Desserts", "Banane braisée aux arachides", "Banane plantain mûre braisée, arachides grillées.", 300),
  dish("Desserts", "Yaourt maison", "Yaourt nature sucré, fait maison.", 300)
]

const grills: ReadonlyArray<ProductTemplate> = [
  dish("Grillades", "Attiéké poisson carpe braisée", "Carpe braisée, attiéké, oignons, tomates et piment.", 2500, [spice]),
  dish("Grillades", "Attiéké poisson capitaine braisé", "Capitaine du Bandama braisé, attiéké et crudités.", 3500, [spice]),
  dish("Grillades", "Machoiron braisé", "Machoiron braisé entier, sauce tomate-oignons.", 3000, [side, extras]),
  dish("Grillades", "Tilapia braisé", "Tilapia braisé, crudités.", 2000, [side, extras]),
  dish("Grillades", "Poulet braisé", "Poulet mariné et braisé au feu de bois.", 2500, [chickenSize, side, extras]),
  dish("Grillades", "Poulet bicyclette braisé", "Poulet du village braisé, chair ferme et goûteuse.", 4000, [side]),
  dish("Grillades", "Porc au four", "Porc mariné cuit au four, oignons et piment.", 2000, [side]),
  dish("Grillades", "Choukouya de mouton", "Mouton grillé, oignons, tomates et piment sec.", 2000, [side]),
  dish("Grillades", "Choukouya de bœuf", "Bœuf grillé à la braise, oignons et piment.", 1500, [side]),
  dish("Grillades", "Brochettes de bœuf (5)", "Cinq brochettes grillées, épices maison.", 1000),
  dish("Grillades", "Brochettes de foie (5)", "Cinq brochettes de foie grillées.", 1000),
  dish("Grillades", "Aileron de poulet braisé", "Ailerons marinés et braisés.", 1500, [side])
]

const maquisSignatures: ReadonlyArray<ProductTemplate> = [
  dish("Plats", "Attiéké poisson braisé", "Poisson braisé, attiéké, oignons, tomates et piment frais.", 2000, [spice, extras]),
  dish("Plats", "Kédjénou de poulet", "Poulet mijoté à l'étouffée dans son jus, en canari.", 3000, [side]),
  dish("Plats", "Kédjénou de pintade", "Pintade mijotée à l'étouffée, légumes et piment.", 4000, [side]),
  dish("Plats", "Foutou sauce graine", "Foutou banane et sauce graine au poisson fumé.", 1500),
  dish("Plats", "Placali sauce kplala", "Placali et sauce kplala à la viande.", 1500),
  dish("Plats", "Riz sauce arachide", "Riz blanc et sauce arachide au poulet.", 1200),
  dish("Plats", "Soupe de poisson (pepper soup)", "Bouillon de poisson frais pimenté.", 2000, [side]),
  dish("Plats", "Escargots sautés", "Escargots géants sautés aux oignons et piment.", 3000)
]

const garbaSignatures: ReadonlyArray<ProductTemplate> = [
  dish("Garba & alloco", "Garba", "Attiéké et thon frit, piment et oignons crus.", 300, [garbaSize, garbaExtras]),
  dish("Garba & alloco", "Garba spécial", "Attiéké, thon frit, œuf dur et alloco.", 700, [garbaSize, garbaExtras]),
  dish("Garba & alloco", "Attiéké poulet frit", "Attiéké et poulet frit, crudités.", 1500, [garbaExtras]),
  dish("Garba & alloco", "Attiéké poisson frit", "Attiéké et poisson frit (chinchard), piment.", 1000, [garbaExtras]),
  dish("Garba & alloco", "Attiéké sardines", "Attiéké et sardines frites.", 500, [garbaExtras])
]

const allocoSignatures: ReadonlyArray<ProductTemplate> = [
  dish("Garba & alloco", "Alloco", "Banane plantain mûre frite, piment maison.", 300, [garbaSize]),
  dish("Garba & alloco", "Alloco poisson", "Alloco et poisson frit, sauce tomate-oignons.", 1000, [extras]),
  dish("Garba & alloco", "Alloco œuf", "Alloco et omelette ou œufs durs.", 600),
  dish("Garba & alloco", "Alloco poulet", "Alloco et poulet frit.", 1500),
  dish("Garba & alloco", "Alloco brochettes", "Alloco et brochettes de bœuf.", 1000),
  dish("Garba & alloco", "Igname frite", "Igname frite croustillante, piment.", 500),
  dish("Garba & alloco", "Patate douce frite", "Patate douce frite.", 500)
]

const restaurantSignatures: ReadonlyArray<ProductTemplate> = [
  dish("Plats", "Riz gras au poulet", "Riz cuit dans une sauce tomate épicée, poulet.", 2000),
  dish("Plats", "Poulet DG", "Poulet sauté aux bananes plantain et légumes.", 3500),
  dish("Plats", "Tchep au poisson", "Riz au poisson et légumes, à la sénégalaise.", 2000),
  dish("Plats", "Spaghetti bolognaise", "Spaghetti, sauce tomate à la viande hachée.", 1500),
  dish("Plats", "Steak frites", "Steak de bœuf grillé, frites maison.", 3000),
  dish("Plats", "Salade composée", "Laitue, tomates, concombre, œuf, thon.", 1500),
  dish("Plats", "Poisson braisé", "Poisson du jour braisé.", 3000, [side, extras])
]

const grillSignatures: ReadonlyArray<ProductTemplate> = [
  dish("Fast-food", "Chawarma poulet", "Galette, poulet grillé, crudités, sauce blanche.", 1500, [spice]),
  dish("Fast-food", "Chawarma viande", "Galette, bœuf grillé, crudités, sauce blanche.", 1500, [spice]),
  dish("Fast-food", "Hamburger", "Steak haché, salade, tomate, oignons.", 2000, [extras]),
  dish("Fast-food", "Frites", "Frites de pommes de terre.", 700),
  dish("Fast-food", "Pain chargé", "Pain garni d'omelette, d'avocat et de sardines.", 500)
]

const restaurantMenus: Readonly<Record<RestaurantStyle, { readonly signatures: ReadonlyArray<ProductTemplate>; readonly extras: ReadonlyArray<ProductTemplate> }>> = {
  maquis: { signatures: maquisSignatures, extras: [...grills, ...drinks, ...desserts, ...allocoSignatures.slice(0, 2)] },
  garba: { signatures: garbaSignatures, extras: [...allocoSignatures, ...drinks, ...desserts.slice(0, 3)] },
  alloco: { signatures: allocoSignatures, extras: [...garbaSignatures.slice(0, 2), ...drinks, ...grills.slice(9, 11)] },
  restaurant: { signatures: restaurantSignatures, extras: [...maquisSignatures, ...grills, ...drinks, ...desserts] },
  grill: { signatures: grillSignatures, extras: [...grills, ...drinks, ...allocoSignatures.slice(0, 1)] }
}

// Groceries: the shelves of a boutique de quartier or a superette, whole francs.
const groceryItems: ReadonlyArray<ProductTemplate> = (() => {
  const shelf = (category: string, entries: ReadonlyArray<readonly [string, number, string?]>) =>
    entries.map(([name, price, description]) => item(category, name, description ?? "", price))
  const base = [
    ...shelf("Riz, farines & pâtes", [
      ["Riz parfumé (1 kg)", 800, "Riz long parfumé, vendu au kilo."], ["Riz local (1 kg)", 600, "Riz de la région."], ["Riz parfumé (5 kg)", 4000],
      ["Riz brisé (1 kg)", 500], ["Farine de blé (1 kg)", 700], ["Spaghetti (500 g)", 400], ["Macaroni (500 g)", 400], ["Couscous (1 kg)", 1200],
      ["Semoule de maïs (1 kg)", 600], ["Attiéké sec (1 kg)", 800], ["Gari (1 kg)", 600], ["Haricots secs (1 kg)", 1000], ["Lentilles (500 g)", 800],
      ["Mil (1 kg)", 700], ["Farine de manioc (1 kg)", 600], ["Vermicelles (500 g)", 450]
    ]),
    ...shelf("Huiles & condiments", [
      ["Huile Dinor (1 L)", 1500, "Huile végétale raffinée."], ["Huile Dinor (25 cl)", 400], ["Huile de palme rouge (1 L)", 1200], ["Cubes Maggi (paquet de 20)", 500],
      ["Cubes Jumbo (paquet de 20)", 500], ["Sel iodé (500 g)", 200], ["Concentré de tomate (70 g)", 150], ["Concentré de tomate (400 g)", 900],
      ["Poivre moulu (sachet)", 200], ["Piment sec moulu (sachet)", 200], ["Oignons (1 kg)", 800], ["Ail (3 têtes)", 300], ["Moutarde (pot)", 1000],
      ["Mayonnaise (pot de 250 g)", 1200], ["Vinaigre (1 L)", 600], ["Soumbala (sachet)", 200], ["Gingembre frais (sachet)", 300], ["Arachides grillées (sachet)", 200]
    ]),
    ...shelf("Conserves", [
      ["Sardines à l'huile (125 g)", 500], ["Thon à l'huile (160 g)", 900], ["Corned-beef (200 g)", 1500], ["Petits pois (boîte)", 700],
      ["Maïs doux (boîte)", 800], ["Haricots verts (boîte)", 800], ["Maquereau à la tomate (boîte)", 700], ["Tomates pelées (boîte)", 600],
      ["Lait de coco (boîte)", 900], ["Pâte d'arachide (pot)", 1200]
    ]),
    ...shelf("Petit-déjeuner", [
      ["Nescafé Classic (50 g)", 1800], ["Lipton Yellow Label (25 sachets)", 1200], ["Sucre en morceaux (1 kg)", 1000], ["Sucre en poudre (1 kg)", 800],
      ["Chocolat en poudre (400 g)", 2000], ["Lait en poudre Nido (400 g)", 3500], ["Lait concentré sucré (397 g)", 700], ["Lait concentré non sucré (410 g)", 600],
      ["Baguette de pain", 150, "Pain du jour."], ["Pain de mie", 800], ["Biscuits (paquet)", 200], ["Margarine (250 g)", 600], ["Confiture (pot)", 1500],
      ["Céréales (boîte)", 3000], ["Œufs (plateau de 30)", 2700, "Œufs frais de ferme."], ["Œufs (6)", 600], ["Miel (pot)", 2500], ["Quaker Oats (500 g)", 1500]
    ]),
    ...shelf("Boissons", [
      ["Eau minérale (1,5 L)", 400], ["Eau minérale (50 cl)", 200], ["Eau en sachets (paquet de 30)", 1000], ["Coca-Cola (1,5 L)", 1000],
      ["Coca-Cola (33 cl)", 400], ["Fanta (33 cl)", 400], ["Sprite (33 cl)", 400], ["Youki Soda (33 cl)", 400], ["Jus de fruits (1 L)", 1500],
      ["Flag (65 cl)", 700], ["Malta Guinness (33 cl)", 500], ["Tonic (33 cl)", 500]
    ]),
    ...shelf("Produits laitiers", [
      ["Yaourt nature (pot)", 300], ["Yaourts sucrés (4 pots)", 1200], ["Fromage fondu (8 portions)", 1200], ["Beurre (250 g)", 1800], ["Lait frais (1 L)", 1200]
    ]),
    ...shelf("Hygiène & beauté", [
      ["Savon de Marseille (barre)", 400], ["Savon de toilette", 350], ["Dentifrice (75 ml)", 700], ["Brosse à dents", 300], ["Papier hygiénique (rouleau)", 250],
      ["Papier hygiénique (4 rouleaux)", 1000], ["Serviettes hygiéniques (paquet)", 900], ["Couches bébé (paquet de 10)", 2500], ["Lait de toilette", 1500],
      ["Beurre de karité (pot)", 1000], ["Déodorant", 1500], ["Lames de rasoir (paquet)", 500], ["Coton-tiges (boîte)", 400]
    ]),
    ...shelf("Entretien", [
      ["Lessive en poudre (500 g)", 1000], ["Eau de Javel (1 L)", 500], ["Liquide vaisselle (500 ml)", 700], ["Éponge", 200], ["Insecticide (bombe)", 2000],
      ["Spirales anti-moustiques (boîte)", 500], ["Allumettes (paquet de 10)", 250], ["Bougies (paquet)", 500], ["Piles R6 (2)", 500],
      ["Sacs poubelle (rouleau)", 800], ["Balai", 1000], ["Seau", 1500], ["Torche à piles", 2500], ["Savon en poudre (sachet)", 250]
    ])
  ]
  // Bigger packs of the cheap things people buy by the lot.
  const packs = base.flatMap((template) => [
    ...(template.priceXof <= 1500 ? [{ ...template, name: `${template.name}, lot de 3`, description: "Lot de 3, moins cher qu'à l'unité.", priceXof: Math.round((template.priceXof * 3 * 0.95) / 25) * 25 }] : []),
    ...(template.priceXof <= 800 ? [{ ...template, name: `${template.name}, lot de 6`, description: "Lot de 6, moins cher qu'à l'unité.", priceXof: Math.round((template.priceXof * 6 * 0.9) / 25) * 25 }] : [])
  ])
  const sized: ReadonlyArray<ProductTemplate> = [
    item("Riz, farines & pâtes", "Riz parfumé au détail", "Servi au poids.", 400, [{ kind: "size", name: "Quantité", minChoices: 1, maxChoices: 1, options: [["500 g", 0], ["1 kg", 400], ["2 kg", 1200]] }]),
    item("Huiles & condiments", "Huile en vrac", "Huile végétale servie en bouteille.", 300, [{ kind: "size", name: "Quantité", minChoices: 1, maxChoices: 1, options: [["25 cl", 0], ["50 cl", 300], ["1 L", 900]] }]),
    item("Boissons", "Jus de bissap maison", "Bissap fait à la boutique.", 250, [{ kind: "size", name: "Format", minChoices: 1, maxChoices: 1, options: [["Sachet", 0], ["Bouteille 50 cl", 150]] }])
  ]
  return [...base, ...sized, ...packs]
})()

const restaurantCategoryOrder = ["Plats", "Garba & alloco", "Grillades", "Fast-food", "Boissons", "Desserts"]
const groceryCategoryOrder = ["Riz, farines & pâtes", "Huiles & condiments", "Conserves", "Petit-déjeuner", "Produits laitiers", "Boissons", "Hygiène & beauté", "Entretien"]

/** A provider's price, rounded to 50 F and kept in the 100–5,000 F of everyday food in Tiassalé. */
const priceAt = (base: number, level: number) => Math.min(5000, Math.max(100, Math.round((base * level) / 50) * 50))

const xof = (amount: number) => amount as Xof

const menuFor = (
  seed: number,
  index: number,
  providerId: string,
  style: RestaurantStyle | GroceryStyle,
  count: number,
  draw: Draw
): { readonly categories: Array<Category>; readonly products: Array<Product> } => {
  if (count === 0) return { categories: [], products: [] }
  const chosen: Array<ProductTemplate> = style === "boutique" || style === "superette"
    ? draw.shuffled(groceryItems).slice(0, count)
    : [
      ...restaurantMenus[style].signatures,
      ...draw.shuffled(restaurantMenus[style].extras),
      ...draw.shuffled(sauceDishes)
    ].slice(0, count)
  const order = style === "boutique" || style === "superette" ? groceryCategoryOrder : restaurantCategoryOrder
  const level = style === "restaurant" ? 1 + draw.float() * 0.3 : 0.9 + draw.float() * 0.25
  const names = order.filter((name) => chosen.some((template) => template.category === name))
  const categories = names.map((name, position): Category => ({ id: demoId(seed, "category", index, position), providerId, name, position }))
  const products: Array<Product> = []
  for (const category of categories) {
    const inCategory = chosen.filter((template) => template.category === category.name)
    for (const [rank, template] of inCategory.entries()) {
      const productNumber = products.length
      const optionGroups = template.groups.map((group, groupNumber): OptionGroup => ({
        id: demoId(seed, "optionGroup", index, productNumber * 4 + groupNumber),
        kind: group.kind,
        name: group.name,
        minChoices: group.minChoices,
        maxChoices: group.maxChoices,
        options: group.options.map(([name, delta], optionNumber) => ({
          id: demoId(seed, "option", index, productNumber * 64 + groupNumber * 16 + optionNumber),
          name,
          priceDeltaXof: xof(delta === 0 ? 0 : priceAt(delta, level))
        }))
      }))
      const stock = template.counted ? (draw.chance(0.05) ? 0 : draw.int(3, 120)) : null
      products.push({
        id: demoId(seed, "product", index, productNumber),
        providerId,
        categoryId: category.id,
        name: template.name,
        description: template.description,
        priceXof: xof(priceAt(template.priceXof, level)),
        available: stock === 0 ? draw.chance(0.3) : draw.chance(0.96),
        stock,
        optionGroups,
        photoKey: null,
        position: rank
      })
    }
  }
  return { categories, products }
}

// ---------------------------------------------------------------------------------------------
// Butane: regulated refill prices (REFERENCE.md, 2023-2026 sources) and bottle deposits.

type BottleSize = GasProduct["bottleSizeKg"]

/** The state's price of a refill, FCFA. B6 and B12.5 are fixed; larger sizes are re-priced monthly. */
export const regulatedRefillPriceXof: Readonly<Record<BottleSize, number>> = { 6: 2000, 12.5: 5200, 15: 6965, 17.5: 8125, 25: 11610, 28: 13000 }

/**
 * The deposit (consigne) for an empty bottle, FCFA: an ESTIMATE for demo data [?], not a published
 * price. A new bottle costs the refill plus this.
 */
const bottleDepositXof: Readonly<Record<BottleSize, number>> = { 6: 8000, 12.5: 18000, 15: 20000, 17.5: 22000, 25: 30000, 28: 32000 }

const gasLinesFor = (seed: number, index: number, providerId: string, mainBrand: GasBrand, draw: Draw): Array<GasProduct> => {
  const others = draw.shuffled(brands.filter((brand) => brand !== mainBrand))
  // In order of likelihood: the main brand's everyday bottles, the others' B6 and B12.5, then big ones.
  const candidates: Array<readonly [GasBrand, BottleSize]> = [
    [mainBrand, 6], [mainBrand, 12.5],
    [others[0]!, 6], [others[0]!, 12.5], [others[1]!, 6],
    ...draw.shuffled<readonly [GasBrand, BottleSize]>([
      [mainBrand, 15], [mainBrand, 17.5], [mainBrand, 25], [mainBrand, 28], [others[1]!, 12.5], [others[2]!, 6], [others[2]!, 12.5], [others[0]!, 28]
    ])
  ]
  const lines = candidates.slice(0, draw.int(4, 10))
  return lines.map(([brand, size], line): GasProduct => {
    const regulated = regulatedRefillPriceXof[size]
    // B6 and B12.5 sell at the official price; resellers often add a little on the big bottles.
    const refill = size <= 12.5 || draw.chance(0.5) ? regulated : regulated + 25 * draw.int(1, 10)
    const deposit = bottleDepositXof[size] + 500 * draw.int(-2, 2)
    const stock = draw.chance(0.1) ? null : size === 6 ? draw.int(0, 60) : size === 12.5 ? draw.int(0, 25) : draw.int(0, 8)
    return {
      id: demoId(seed, "gasProduct", index, line),
      providerId,
      brand,
      bottleSizeKg: size,
      refillPriceXof: xof(refill),
      newBottlePriceXof: xof(refill + deposit),
      fullBottlesInStock: stock,
      available: stock !== 0 || draw.chance(0.3)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The entries.

export const demoProvider = (options: DemoCatalogueOptions, index: number): DemoProviderEntry => {
  const seed = options.seed >>> 0
  const draw = drawFrom(mulberry32(mix32(mix32(seed) ^ Math.imul(index + 1, 0x27d4eb2f))))
  const typed = patternAt(typePattern, typeRanks, index)
  const styled = typed.value === "restaurant"
    ? patternAt(restaurantStyles, restaurantStyleRanks, typed.ordinal)
    : typed.value === "grocery"
    ? patternAt(groceryStyles, groceryStyleRanks, typed.ordinal)
    : { value: "depot" as const, ordinal: typed.ordinal }
  const style: Style = styled.value
  const { name, words } = uniqueName(style, styled.ordinal, seed)
  const id = demoProviderId(seed, index)
  const { location, landmark } = placeFor(draw)
  const provider = { id, type: typed.value, name, description: draw.pick(descriptions[style]), location, landmark, schedule: scheduleFor(style, draw) }
  if (style === "depot") {
    const mainBrand = brands.find((brand) => words.includes(brand)) ?? draw.pick(brands)
    return { index, ownerIndex: Math.floor(index / providersPerDemoOwner), provider, categories: [], products: [], gasProducts: gasLinesFor(seed, index, id, mainBrand, draw) }
  }
  const { categories, products } = menuFor(seed, index, id, style, options.productsPerProvider, draw)
  return { index, ownerIndex: Math.floor(index / providersPerDemoOwner), provider, categories, products, gasProducts: [] }
}

/** Providers [from, from + count) of the demo catalogue: a batch. */
export const demoProviders = (options: DemoCatalogueOptions, from: number, count: number): Array<DemoProviderEntry> =>
  Array.from({ length: count }, (_, offset) => demoProvider(options, from + offset))

// ---------------------------------------------------------------------------------------------
// Owner accounts.

/**
 * Demo owner number `ownerIndex` of a seed: a realistic name and an Orange mobile number in the
 * +225 07 00 xx xx xx block. Before the 2021 switch to 10 digits no Ivorian number began with 00
 * (the international prefix), so the block that the switch made "07 00 …" matches no migrated
 * line: unlikely to be anybody's phone (not a reserved range, though: check before texting it).
 * Each seed has its own 2,000 numbers (500 seeds before they come round).
 */
export const demoOwner = (seed: number, ownerIndex: number): DemoOwner => {
  const number = (((seed >>> 0) % 500) * 2000 + ownerIndex) % 1_000_000
  const draw = drawFrom(mulberry32(mix32((seed >>> 0) ^ Math.imul(ownerIndex + 1, 0x165667b1))))
  const first = draw.chance(0.5) ? draw.pick(women) : draw.pick(men)
  return { phone: `+2250700${String(number).padStart(6, "0")}` as Phone, fullName: `${first} ${draw.pick(surnames)}` }
}

// ---------------------------------------------------------------------------------------------

/** The demo catalogue as `seedDemoCatalogue` takes it. */
export const demoCatalogue: DemoCatalogue = { ownerCount: demoOwnerCount, owner: demoOwner, providers: demoProviders }
