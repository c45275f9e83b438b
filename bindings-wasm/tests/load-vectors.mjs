// Reads tests/vectors/*.json (Node only). JIKO_VECTORS names the folder.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export function vectorDir() {
  const dir = process.env.JIKO_VECTORS;
  if (!dir) throw new Error("set JIKO_VECTORS to the tests/vectors folder");
  return dir;
}

export function loadVectors(dir = vectorDir()) {
  const files = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    files[name] = JSON.parse(readFileSync(join(dir, name), "utf8"));
  }
  return files;
}

/** The total that tests/vectors/count.py printed (the test script passes it on). */
export function expectedTotal() {
  const total = Number(process.env.JIKO_VECTOR_TOTAL);
  if (!Number.isInteger(total) || total <= 0) throw new Error("set JIKO_VECTOR_TOTAL (python3 tests/vectors/count.py)");
  return total;
}
