import { francs } from "../shared/francs.ts"
import type { Vehicle } from "./Vehicle.ts"

/** The texts people read about deliveries, in French, short enough for one or two SMS. */

const vehicleWords: Readonly<Record<Vehicle, string>> = { motorbike: "à moto", bicycle: "à vélo", tricycle: "en tricycle", car: "en voiture" }

const kilometres = (meters: number) => `${(Math.round(meters / 100) / 10).toLocaleString("fr-FR")} km`

export const offerNotice = (offer: { readonly reference: string; readonly providerName: string; readonly distanceToPickupM: number; readonly zoneName: string; readonly earningXof: number; readonly timeoutSeconds: number }) => ({
  title: "Nouvelle course",
  body: `NELO : course ${offer.reference}, retrait chez ${offer.providerName} à ${kilometres(offer.distanceToPickupM)}, livraison à ${offer.zoneName}, ${francs(offer.earningXof)}. Répondez dans les ${offer.timeoutSeconds} s.`
})

export const assignedToCustomer = (reference: string, driverFirstName: string, vehicle: Vehicle) => ({
  title: "Livreur trouvé",
  body: `NELO : ${driverFirstName} livrera votre commande ${reference} ${vehicleWords[vehicle]}. Suivez-le dans l'application.`
})

export const assignedToProvider = (reference: string, driverFirstName: string) => ({
  title: "Livreur attribué",
  body: `NELO : ${driverFirstName} viendra chercher la commande ${reference}.`
})

export const unassignedToProvider = (reference: string) => ({
  title: "Livreur recherché",
  body: `NELO : aucun livreur n'est encore disponible pour la commande ${reference}. Nous continuons à chercher ; gardez-la au chaud.`
})

export const unassignedToAdmins = (reference: string, providerName: string) => ({
  title: "Commande sans livreur",
  body: `NELO : la commande ${reference} (${providerName}) n'a trouvé aucun livreur. Attribuez-la : nelo-admin deliveries show ${reference}`
})

export const cancelledToDriver = (reference: string, pickedUp: boolean) => ({
  title: "Course annulée",
  body: pickedUp
    ? `NELO : la commande ${reference} est annulée. Rapportez-la au commerce.`
    : `NELO : la commande ${reference} est annulée. Ne la récupérez pas.`
})

export const codeLockedToAdmins = (reference: string, attempts: number) => ({
  title: "Code de livraison bloqué",
  body: `NELO : ${attempts} codes faux pour la commande ${reference} : la remise est bloquée. Appelez le client et le livreur : nelo-admin deliveries show ${reference}`
})

export const codeLockedToDriver = (reference: string) => ({
  title: "Remise bloquée",
  body: `NELO : trop de codes faux pour la commande ${reference}. Un agent NELO va vous appeler ; ne repartez pas avec la commande.`
})

export const timedOutOfflineMessage = (timeouts: number) =>
  `NELO : vous êtes passé hors ligne après ${timeouts} courses sans réponse. Repassez en ligne dans l'application quand vous êtes prêt à livrer.`
