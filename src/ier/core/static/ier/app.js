// Progressive enhancement only: every page works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout-warning.js";

initAll();
initTimeoutWarning();
