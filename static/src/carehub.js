// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle).
// Loaded as a module so it only runs in browsers GOV.UK Frontend supports.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Print buttons (for example on a person's chronology): shown only where they work.
for (const button of document.querySelectorAll('[data-module="carehub-print"]')) {
  button.addEventListener("click", () => window.print());
  button.closest("[hidden]")?.removeAttribute("hidden");
}
