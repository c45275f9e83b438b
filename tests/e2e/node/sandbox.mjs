// Starts jiko-sandbox (JIKO_SANDBOX_BIN) as a child process on a free port, for the
// end-to-end tests; every simulator started is stopped when the test file ends.
import { after } from "node:test";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const BIN = process.env.JIKO_SANDBOX_BIN;
if (!BIN) throw new Error("set JIKO_SANDBOX_BIN to the jiko-sandbox binary (cargo build -p jiko-sandbox)");

// The simulator's defaults (docs/simulator.md).
export const USERNAME = "sandbox-user";
export const PASSWORD = "sandbox-password";
export const SECRET = "sandbox-signing-secret";

const children = [];
after(() => {
  for (const child of children) child.kill("SIGTERM");
});

/** Starts the simulator with `args`; resolves with its base URL (from its first stdout line). */
export function startSandbox(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`jiko-sandbox exited with ${code} before listening: ${stderr}`)));
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from jiko-sandbox: ${line}`));
    });
  });
}

/** The simulator's inspection endpoint. */
export async function stats(base) {
  const res = await fetch(`${base}/_simulator/stats`);
  return res.json();
}
