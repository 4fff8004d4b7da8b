// Parses each .mmd file named on the command line with Mermaid's own parser (npm "mermaid",
// with "jsdom" for the DOM it expects); prints each failure and exits 1 when any fails.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(file, "utf8"));
  } catch (error) {
    failed += 1;
    console.log(`${file}: ${String(error.message || error).split("\n").slice(0, 4).join(" | ")}`);
  }
}
console.log(`parsed ${process.argv.length - 2 - failed} of ${process.argv.length - 2}`);
process.exit(failed ? 1 : 0);
