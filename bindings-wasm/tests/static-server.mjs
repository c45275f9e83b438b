// A small static file server for the browser tests and the demo (loopback only).
//   node tests/static-server.mjs --port 8765 --map /pkg/=pkg/ --map /examples/=examples/
// or import { startStaticServer } and pass [[urlPrefix, directory], ...].
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { resolve, extname, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ts": "text/plain; charset=utf-8",
};

export function startStaticServer(routes, port = 0) {
  const table = routes.map(([prefix, dir]) => [prefix, resolve(dir)]);
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    for (const [prefix, dir] of table) {
      if (!path.startsWith(prefix)) continue;
      let file = resolve(dir, "." + sep + path.slice(prefix.length));
      if (file !== dir && !file.startsWith(dir + sep)) break;
      try {
        if (statSync(file).isDirectory()) file = resolve(file, "index.html");
        statSync(file);
      } catch {
        break;
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  return new Promise((resolveServer) => {
    server.listen(port, "127.0.0.1", () => resolveServer(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let port = 8765;
  const routes = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") port = Number(args[++i]);
    else if (args[i] === "--map") {
      const [prefix, dir] = args[++i].split("=");
      routes.push([prefix, dir]);
    }
  }
  const server = await startStaticServer(routes, port);
  const { port: actual } = server.address();
  console.log(`serving on http://127.0.0.1:${actual}/ (${routes.map(([p, d]) => `${p} -> ${d}`).join(", ")})`);
  console.log(`demo: http://127.0.0.1:${actual}/examples/web/`);
}
