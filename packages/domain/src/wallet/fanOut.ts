/**
 * The fan-out rule's count: the distinct customers the sender first paid since the window began,
 * this transfer's receiver included when the sender never paid them before. An unfreeze starts the
 * count afresh: the window begins at the later of its start and the sender's last unfreeze (an
 * admin who unfroze a wallet has looked at those receivers already).
 */
export const fanOutSince = (windowStart: Date, lastUnfrozenAt: Date | null): Date =>
  lastUnfrozenAt !== null && lastUnfrozenAt > windowStart ? lastUnfrozenAt : windowStart

export const newReceivers = (firstPaidSince: number, paidReceiverBefore: boolean): number =>
  firstPaidSince + (paidReceiverBefore ? 0 : 1)
