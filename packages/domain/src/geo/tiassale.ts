import type { GeoPoint } from "./GeoPoint.ts"
import type { CityDefinition, ZoneDefinition } from "./Zone.ts"

// Tiassalé, Agnéby-Tiassa, the first city of NELO. There is no official list or map of its
// quartiers: the six below are named in the press, and every polygon here is an APPROXIMATION
// (a grid around the town centre and squares around the neighbouring towns), marked
// `approximate: true` so admins know to redraw them from the field.

const rectangle = (south: number, west: number, north: number, east: number): ReadonlyArray<GeoPoint> => [
  { lat: south, lng: west },
  { lat: south, lng: east },
  { lat: north, lng: east },
  { lat: north, lng: west }
]

/** A square of `halfSideDegrees` around a centre (0.02° is about 2.2 km at this latitude). */
const squareAround = (center: GeoPoint, halfSideDegrees: number) =>
  rectangle(center.lat - halfSideDegrees, center.lng - halfSideDegrees, center.lat + halfSideDegrees, center.lng + halfSideDegrees)

const center: GeoPoint = { lat: 5.898, lng: -4.822 }

// The town box (about 3.1 km north-south, 3.5 km east-west) cut into 2 rows and 3 columns.
const townSouth = 5.884
const townNorth = 5.912
const townMiddleLatitude = 5.898
const columns = [-4.838, -4.8273, -4.8167, -4.806] as const

const quartier = (slug: string, name: string, row: "north" | "south", column: 0 | 1 | 2): ZoneDefinition => ({
  slug,
  name,
  kind: "quartier",
  approximate: true,
  boundary: rectangle(
    row === "north" ? townMiddleLatitude : townSouth,
    columns[column],
    row === "north" ? townNorth : townMiddleLatitude,
    columns[column + 1]!
  )
})

const town = (slug: string, name: string, position: GeoPoint): ZoneDefinition => ({
  slug,
  name,
  kind: "town",
  approximate: true,
  boundary: squareAround(position, 0.02)
})

export const tiassale: CityDefinition = {
  slug: "tiassale",
  name: "Tiassalé",
  countryCode: "CI",
  timeZone: "Africa/Abidjan",
  center,
  zones: [
    quartier("dafindougou", "Dafindougou", "north", 0),
    quartier("tchegbanalogo", "Tchègbanalôgô (marché)", "north", 1),
    quartier("ptt", "PTT", "north", 2),
    quartier("baoulekro", "Baoulékro", "south", 0),
    quartier("prof", "Prof", "south", 1),
    quartier("tchamtchaka", "Tchamtchaka", "south", 2),
    town("ndouci", "N'Douci", { lat: 5.8667, lng: -4.7667 }),
    town("morokro", "Morokro", { lat: 6.0667, lng: -4.9667 }),
    town("gbolouville", "Gbolouville", { lat: 5.95, lng: -4.6333 }),
    town("taabo", "Taabo", { lat: 6.2167, lng: -5.1167 }),
    town("pacobo", "Pacobo", { lat: 6.0833, lng: -5.0167 })
  ]
}
