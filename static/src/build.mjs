// Builds static/dist/ from pinned npm packages (package-lock.json): CareHub's compiled
// stylesheet, GOV.UK Frontend's script and CareHub's own script. Run by make as `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist");
const out = join(root, "static", "dist");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "static", "src", "carehub.scss"), {
  loadPaths: [govuk],
  style: "compressed",
  quietDeps: true,
});
if (/url\(/.test(result.css)) {
  throw new Error("carehub.css refers to an asset that is not built; compile only what CareHub uses");
}
writeFileSync(join(out, "carehub.css"), result.css);
cpSync(join(govuk, "govuk", "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(root, "static", "src", "carehub.js"), join(out, "carehub.js"));
console.log(`static/dist built (${result.css.length} bytes of CSS)`);
