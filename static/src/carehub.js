// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle).
// Loaded as a module so it only runs in browsers GOV.UK Frontend supports.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
