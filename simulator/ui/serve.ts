/**
 * The virtual-terminal page's files: `page.html` at `/`, its script and style under `/__termflow/ui/`.
 * They are built into `dist/simulator/ui/` (scripts/bundle-ui.mjs bundles the page script with its
 * library), ship in the package and load nothing from the network.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";

export const UI_PREFIX = "/__termflow/ui";

const TYPES: Record<string, string> = {
  "page.html": "text/html; charset=utf-8",
  "page.css": "text/css; charset=utf-8",
  "page.js": "text/javascript; charset=utf-8",
};

/**
 * Where the files are: beside this module (dist/simulator/ui/), or under simulator/ui/ beside the
 * bundled CLI (dist/termflow.mjs), whose import.meta.url is the bundle's.
 */
function uiDirectory(): string | undefined {
  // The bundled CLI's code runs from dist/termflow.mjs or one of its chunks in dist/chunks/.
  for (const candidate of ["./", "./simulator/ui/", "../simulator/ui/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}page.html`) && existsSync(`${dir}page.js`)) return dir;
  }
  return undefined;
}

const cache = new Map<string, Buffer>();

export function serveUi(path: string, res: ServerResponse): void {
  const name = path === "/" ? "page.html" : path.slice(UI_PREFIX.length + 1);
  const type = TYPES[name];
  const dir = uiDirectory();
  if (!type || !dir) {
    const body = JSON.stringify({
      errors: [
        dir ? `No page file ${name}` : "The page's files are missing from this installation (dist/simulator/ui)",
      ],
    });
    res.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  let content = cache.get(name);
  if (!content) {
    content = readFileSync(`${dir}${name}`);
    cache.set(name, content);
  }
  res.writeHead(200, {
    "content-type": type,
    "content-length": content.length,
    "cache-control": "no-cache",
    // The page loads its own script and style and talks to this server only.
    "content-security-policy":
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
  });
  res.end(content);
}
