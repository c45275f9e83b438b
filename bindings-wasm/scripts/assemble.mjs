// Assembles the npm package from wasm-bindgen's output.
//   node assemble.mjs <stage dir> <package dir> <version>
//
// pkg/
//   package.json          exports map: node (import, require), browser, default
//   index.d.ts            ESM types: the generated declarations plus the error classes
//   index.d.cts           the same for CommonJS
//   errors.js             the Error subclasses (ESM)
//   prepared.js           the builder of PreparedRequest objects (ESM)
//   client.js             the JavaScript front of Client.createApplication (ESM)
//   web/index.js          ESM for browsers, bundlers and Deno: loads the module (top-level await)
//   web/jiko_onboarding.js, .d.ts, _bg.wasm   wasm-bindgen --target web: the module built for size
//   node/index.cjs        CommonJS for Node: loads the module synchronously
//   node/prepared.cjs     the same builder, CommonJS
//   node/client.cjs       the same front, CommonJS
//   node/index.mjs        ESM for Node: the CommonJS module's exports (one instance, one set of classes)
//   node/errors.cjs, node/jiko_onboarding.js, .d.ts, _bg.wasm   wasm-bindgen --target nodejs:
//                         the module built for speed (same sources, opt-level 3)
//
// The public names are read from the generated declarations, so the entry modules and
// the types cannot drift from the Rust exports.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [stage, pkg, version] = process.argv.slice(2);
if (!stage || !pkg || !version) {
  console.error("usage: node assemble.mjs <stage> <pkg> <version>");
  process.exit(2);
}
const here = dirname(dirname(fileURLToPath(import.meta.url)));
const GLUE = "jiko_onboarding";
const ERRORS = ["JikoError", "JikoValidationError", "JikoApiError", "JikoDocumentError"];
const ERROR_TYPES = ["ApiErrorKind", "DocumentErrorCode"];
const INTERNAL = new Set(["InitInput", "InitOutput", "SyncInitInput", "initSync", "default"]);

const read = (p) => readFileSync(p, "utf8");
const write = (p, text) => {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
};
const fail = (message) => {
  console.error(`[assemble] ${message}`);
  process.exit(1);
};

// `[Symbol.dispose]` needs the esnext.disposable lib; keep the declarations usable with
// any ES2020+ lib (free() and the FinalizationRegistry still release the objects).
const cleanTypes = (text) => text.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");

// Public names, from the web glue's declarations.
const webTypes = read(join(stage, "web", `${GLUE}.d.ts`));
const values = [];
const types = [];
for (const m of webTypes.matchAll(/^export (?:declare )?(class|function|interface|type) (\w+)/gm)) {
  const [, kind, name] = m;
  if (INTERNAL.has(name) || name.startsWith("__")) continue;
  (kind === "class" || kind === "function" ? values : types).push(name);
}
values.sort();
types.sort();
for (const required of ["Client", "Signer", "Session", "parseApplication", "validateApplication", "version"]) {
  if (!values.includes(required)) fail(`the generated module does not export ${required}`);
}

// Glue and module.
write(join(pkg, "web", `${GLUE}.js`), read(join(stage, "web", `${GLUE}.js`)));
write(join(pkg, "web", `${GLUE}.d.ts`), cleanTypes(webTypes));
copyFileSync(join(stage, "web", `${GLUE}_bg.wasm`), join(pkg, "web", `${GLUE}_bg.wasm`));
mkdirSync(join(pkg, "node"), { recursive: true });
copyFileSync(join(stage, "node", `${GLUE}_bg.wasm`), join(pkg, "node", `${GLUE}_bg.wasm`));

let nodeGlue = read(join(stage, "node", `${GLUE}.js`));
const wasmPathLine = `const wasmPath = \`\${__dirname}/${GLUE}_bg.wasm\`;`;
if (nodeGlue.split(wasmPathLine).length !== 2) fail("cannot find the module path in the nodejs glue");
// Node 18 has no global `crypto` unless started with --experimental-global-webcrypto
// (Node 19+ has it); the module's random source (getrandom's wasm_js backend) calls
// `globalThis.crypto.getRandomValues`. In the Node glue only, fall back to node:crypto's
// webcrypto, without touching the global.
const randomCall = "globalThis.crypto.getRandomValues(";
if (nodeGlue.split(randomCall).length !== 2) fail("cannot find the getRandomValues call in the nodejs glue");
nodeGlue = nodeGlue.replace(randomCall, "(globalThis.crypto || require('node:crypto').webcrypto).getRandomValues(");
write(join(pkg, "node", `${GLUE}.js`), nodeGlue);
write(join(pkg, "node", `${GLUE}.d.ts`), cleanTypes(read(join(stage, "node", `${GLUE}.d.ts`))));
write(join(pkg, "node", "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");

// Error classes: ESM source, and a CommonJS copy.
const errorsSource = read(join(here, "js", "errors.js"));
const exported = [...errorsSource.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
if (exported.join() !== ERRORS.join()) fail(`js/errors.js must export ${ERRORS.join(", ")}`);
write(join(pkg, "errors.js"), errorsSource);
write(
  join(pkg, "node", "errors.cjs"),
  '"use strict";\n' +
    errorsSource.replace(/^export class /gm, "class ") +
    `\nmodule.exports = { ${ERRORS.join(", ")} };\n`,
);

// The PreparedRequest builder: ESM source, and a CommonJS copy.
const preparedSource = read(join(here, "js", "prepared.js"));
for (const name of ["preparedRequest", "preparedRequestForNode"]) {
  if (!new RegExp(`^export function ${name}\\(`, "m").test(preparedSource)) fail(`js/prepared.js must export ${name}`);
}
write(join(pkg, "prepared.js"), preparedSource);
write(
  join(pkg, "node", "prepared.cjs"),
  '"use strict";\n' +
    preparedSource.replace(/^export function /gm, "function ") +
    "\nmodule.exports = { preparedRequest, preparedRequestForNode };\n",
);

// The front of Client.createApplication: ESM source, and a CommonJS copy.
const clientSource = read(join(here, "js", "client.js"));
if (!/^export function installClient\(/m.test(clientSource)) fail("js/client.js must export installClient");
write(join(pkg, "client.js"), clientSource);
write(
  join(pkg, "node", "client.cjs"),
  '"use strict";\n' + clientSource.replace(/^export function /gm, "function ") + "\nmodule.exports = { installClient };\n",
);

// Entry modules.
const banner = `// jiko-onboarding ${version}. Generated by bindings-wasm/scripts/assemble.mjs.\n`;
const register =
  `__registerErrorClasses(${ERRORS.join(", ")});\n__registerPreparedRequest(preparedRequest);\ninstallClient(Client);\n`;
write(
  join(pkg, "web", "index.js"),
  banner +
    `import init, { __registerErrorClasses, __registerPreparedRequest, Client } from "./${GLUE}.js";\n` +
    `import { ${ERRORS.join(", ")} } from "../errors.js";\n` +
    `import { preparedRequest } from "../prepared.js";\n` +
    `import { installClient } from "../client.js";\n\n` +
    `await init({ module_or_path: new URL("./${GLUE}_bg.wasm", import.meta.url) });\n` +
    register +
    `\nexport { ${values.join(", ")} } from "./${GLUE}.js";\n` +
    `export { ${ERRORS.join(", ")} };\n`,
);
write(
  join(pkg, "node", "index.cjs"),
  banner +
    '"use strict";\n' +
    `const glue = require("./${GLUE}.js");\n` +
    `const errors = require("./errors.cjs");\n` +
    `const { preparedRequestForNode } = require("./prepared.cjs");\n` +
    `const { installClient } = require("./client.cjs");\n\n` +
    `glue.__registerErrorClasses(${ERRORS.map((e) => `errors.${e}`).join(", ")});\n` +
    `glue.__registerPreparedRequest(preparedRequestForNode);\n` +
    `installClient(glue.Client);\n\n` +
    values.map((v) => `exports.${v} = glue.${v};\n`).join("") +
    ERRORS.map((e) => `exports.${e} = errors.${e};\n`).join(""),
);
write(
  join(pkg, "node", "index.mjs"),
  banner +
    `import cjs from "./index.cjs";\n\n` +
    [...values, ...ERRORS].map((v) => `export const ${v} = cjs.${v};\n`).join(""),
);

// Types: the generated declarations plus the error classes.
const errorTypes = read(join(here, "js", "errors.d.ts"));
const indexTypes = (glue) =>
  banner +
  `import type { FieldError } from "${glue}";\n` +
  `export { ${values.join(", ")} } from "${glue}";\n` +
  `export type {\n${types.map((t) => `  ${t},\n`).join("")}} from "${glue}";\n\n` +
  errorTypes;
write(join(pkg, "index.d.ts"), indexTypes(`./web/${GLUE}.js`));
write(join(pkg, "index.d.cts"), indexTypes(`./node/${GLUE}.js`));

// package.json.
const packageJson = {
  name: "jiko-onboarding",
  version,
  description:
    "Jiko Partner API onboarding SDK: validation, signing, prepared requests, response parsing and next steps, for Node and browsers (WebAssembly).",
  license: "MIT OR Apache-2.0",
  type: "module",
  main: "./node/index.cjs",
  module: "./web/index.js",
  types: "./index.d.ts",
  exports: {
    ".": {
      node: {
        import: { types: "./index.d.ts", default: "./node/index.mjs" },
        require: { types: "./index.d.cts", default: "./node/index.cjs" },
      },
      browser: { types: "./index.d.ts", default: "./web/index.js" },
      default: { types: "./index.d.ts", default: "./web/index.js" },
    },
    "./jiko_onboarding_bg.wasm": "./web/jiko_onboarding_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["index.d.ts", "index.d.cts", "errors.js", "prepared.js", "client.js", "web/", "node/", "README.md"],
  engines: { node: ">=18" },
  keywords: ["jiko", "onboarding", "kyc", "webassembly", "wasm"],
};
write(join(pkg, "package.json"), JSON.stringify(packageJson, null, 2) + "\n");

const readme = join(here, "README.md");
if (existsSync(readme)) copyFileSync(readme, join(pkg, "README.md"));

console.log(`[assemble] ${values.length} functions and classes, ${types.length} types, 4 error classes`);
