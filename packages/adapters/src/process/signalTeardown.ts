import { Cause, Exit, Runtime } from "effect"

/**
 * Exit codes for our long-running processes: stopped by SIGTERM/SIGINT after a clean shutdown
 * is a success (0), which orchestrators expect; a failure keeps the runtime's usual code.
 */
export const signalTeardown: Runtime.Teardown = (exit, onExit) =>
  Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
