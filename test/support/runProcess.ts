import { spawn } from "node:child_process"
import { resolve } from "node:path"

export const repositoryRoot = resolve(import.meta.dirname, "../..")

export interface ProcessResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs one of the apps' entry points with Node 24 (this process's node) and the given env overrides. */
export const runNode = (script: string, args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}, timeoutMs = 30_000) =>
  new Promise<ProcessResult>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(repositoryRoot, script), ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${script} ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })

export const cli = (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}) => runNode("apps/cli/src/main.ts", args, env)
