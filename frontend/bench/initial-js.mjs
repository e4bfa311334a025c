// Initial JavaScript of a page, from the production build: the entry chunk, the app it starts at once
// (src/app/start.tsx), every chunk they import statically, and the page's own route chunk with its
// static imports, each gzipped (level 9).
// Usage: node bench/initial-js.mjs  (after `npm run build`; `just bench-web` does both)
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL(".vite/manifest.json", dist), "utf8"));
const TARGET_KB = 200;
const pages = {
  landing: "index.html",
  directory: "src/features/directory/routes/directory.tsx",
  "expert profile": "src/app/routes/expert-profile.tsx",
  "sign in": "src/features/auth/routes/sign-in.tsx",
};

function closure(key, seen = new Set()) {
  if (seen.has(key) || !manifest[key]) return seen; // a page bundled into the entry has no chunk of its own
  seen.add(key);
  for (const next of manifest[key]?.imports ?? []) closure(next, seen);
  return seen;
}

const gz = (file) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
const raw = (file) => readFileSync(new URL(file, dist)).length;
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const app = "src/app/start.tsx";
const rows = [];
for (const [name, route] of Object.entries(pages)) {
  const chunks = new Set([...closure(entry), ...closure(app), ...closure(route)]);
  const files = [...chunks].map((k) => manifest[k].file);
  rows.push({ page: name, chunks: files.length, raw: files.reduce((s, f) => s + raw(f), 0), gzip: files.reduce((s, f) => s + gz(f), 0) });
}
console.log(`initial JavaScript per page (gzip -9), target <= ${TARGET_KB} KB for the landing page`);
console.log("page".padEnd(16), "chunks".padStart(6), "raw KB".padStart(9), "gzip KB".padStart(9));
for (const r of rows) {
  console.log(r.page.padEnd(16), String(r.chunks).padStart(6), (r.raw / 1024).toFixed(1).padStart(9), (r.gzip / 1024).toFixed(1).padStart(9));
}
const landing = rows[0].gzip / 1024;
console.log(`landing: ${landing.toFixed(1)} KB gzipped — ${landing <= TARGET_KB ? "within" : "OVER"} the ${TARGET_KB} KB target`);
