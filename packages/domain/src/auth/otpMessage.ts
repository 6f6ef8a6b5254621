/** The SMS that carries a code: French, names NELO, says how long it lasts and not to share it. */
export const otpMessage = (code: string, ttlMs: number) =>
  `NELO : votre code de vérification est ${code}. Il expire dans ${Math.round(ttlMs / 60_000)} minutes. Ne le communiquez à personne, même à NELO.`
