// Marks the page as able to run GOV.UK Frontend's JavaScript, then starts its components.
// Lives in a file (not inline) because the Content-Security-Policy forbids inline script.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Long selects enhanced by accessible-autocomplete, only on pages that have one.
if (document.querySelector('select[data-module="accord-autocomplete"]')) {
  import("./autocomplete.mjs");
}
