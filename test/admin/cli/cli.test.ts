import { describe, expect, it } from "vitest"
import { cli } from "../../support/runProcess.ts"

// Each test runs nelo-admin processes one after another; on two cores shared with the rest of the
// suite a process takes seconds to start, so the budget is per sequence, not per request.
describe("nelo-admin", { timeout: 120_000 }, () => {
  it("seed tiassale shows progress, ends with a summary, and a second run changes nothing", async () => {
    const first = await cli(["seed", "tiassale"])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/\[1\/11\] Dafindougou : /u)
    expect(first.stdout).toMatch(/\[11\/11\] Pacobo : /u)
    expect(first.stdout).toMatch(/approximatifs/u)
    const second = await cli(["seed", "tiassale"])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Tiassalé : ville inchangée; zones : 0 créée\(s\), 0 mise\(s\) à jour, 11 inchangée\(s\)\./u)
  })

  it("an unreachable database: exit 1 and one sentence, without the password", async () => {
    const result = await cli(["db", "status"], { DATABASE_URL: "postgres://admin:s3cret@127.0.0.1:1/nelo" })
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split("\n")).toHaveLength(1)
    expect(result.stderr).toMatch(/^nelo-admin: La base de données est injoignable \(127\.0\.0\.1:1\/nelo\)/u)
    expect(result.stderr).not.toContain("s3cret")
  })

  it("a malformed DATABASE_URL: exit 1 naming the variable", async () => {
    const result = await cli(["db", "status"], { DATABASE_URL: "mysql://nope" })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("DATABASE_URL")
  })

  it("an unknown command or argument: exit 1 with a sentence", async () => {
    const unknown = await cli(["db", "frobnicate"])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/u)
    const extra = await cli(["seed", "abidjan"])
    expect(extra.code).toBe(1)
  })

  it("--help explains every command", async () => {
    for (const command of [[], ["db"], ["db", "migrate"], ["db", "status"], ["seed"], ["seed", "tiassale"], ["seed", "demo"]]) {
      const help = await cli([...command, "--help"])
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/Usage: nelo-admin/u)
    }
    expect((await cli(["seed", "tiassale", "--help"])).stdout).toMatch(/Idempotent/u)
  })

  it("users create-admin creates or promotes once; users roles shows and replaces roles; bad arguments exit 1", async () => {
    const phone = `07${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`
    const created = await cli(["users", "create-admin", "--phone", phone, "--name", "Adjoua Admin"])
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toMatch(/compte créé avec le rôle admin\. Rôles : client, admin\./u)
    expect((await cli(["users", "create-admin", "--phone", phone])).stdout).toMatch(/déjà admin, rien à faire/u)
    const replaced = await cli(["users", "roles", "--phone", phone, "--set", "client,driver"])
    expect(replaced.stdout).toMatch(/: client, driver/u)
    expect((await cli(["users", "roles", "--phone", phone])).stdout).toMatch(/\(Adjoua Admin\) : client, driver$/mu)
    for (const args of [["users", "roles", "--phone", phone, "--set", "boss"], ["users", "roles", "--phone", "0799"], ["users", "create-admin"], ["users", "create-admin", "--phone", phone, "--name", "X"]]) {
      const refused = await cli(args)
      expect(refused.code, args.join(" ")).toBe(1)
      expect(refused.stderr).toMatch(/^nelo-admin: /u)
    }
  })
})
