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

// A passkey or security key just added (the django-otp-webauthn script says so): reload, so
// the list of them shows it.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());

// The user's other CareHub tabs (same browser): activity in one keeps them all, and hiding
// the screen in one hides every one.
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("carehub-session") : null;

// "Hide screen": blank the page at once, then sign out (the form posts to /hide-screen/).
const hideScreen = document.getElementById("hide-screen");
hideScreen?.addEventListener("submit", () => {
  document.body.classList.add("carehub-screen-hidden");
  tabs?.postMessage({ type: "hidden" });
});

// Idle sessions end (the server signs the user out after data-idle-seconds without a
// request). Typing or clicking on the page counts as activity: it tells the server, at most
// once a minute. Otherwise warn data-idle-warning-seconds before the end, offer to stay signed
// in, and when the time is up hide the screen rather than leave a person's records on it.
const idleSeconds = Number(document.body.dataset.idleSeconds);
const warning = document.getElementById("idle-warning");
const stay = document.getElementById("stay-signed-in");
if (idleSeconds && warning && stay && hideScreen) {
  const warnAfter = idleSeconds - Number(document.body.dataset.idleWarningSeconds || 0);
  const token = hideScreen.querySelector("[name=csrfmiddlewaretoken]").value;
  let timers = [];
  let lastToldServer = Date.now();

  const schedule = () => {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(() => {
        warning.hidden = false;
      }, warnAfter * 1000),
      setTimeout(() => {
        document.body.classList.add("carehub-screen-hidden");
        tabs?.postMessage({ type: "hidden" });
        hideScreen.submit();
      }, idleSeconds * 1000),
    ];
  };

  const keepAlive = async () => {
    lastToldServer = Date.now();
    let response = null;
    try {
      // A redirect means signed out (to the sign-in page): not followed, so not mistaken for
      // success.
      response = await fetch(document.body.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      return; // offline: the warning stays, and the page still hides itself on time
    }
    if (response.status === 204) {
      active();
      tellTabs(lastToldServer);
    } else {
      document.body.classList.add("carehub-screen-hidden");
      window.location.reload(); // signed out already: the server shows the sign-in page
    }
  };

  // Activity here (this page's request, typing, clicking, staying signed in) restarts the
  // clock in every tab, so a forgotten tab never signs out a user working in another.
  const active = () => {
    warning.hidden = true;
    schedule();
  };
  const tellTabs = (at) => tabs?.postMessage({ type: "active", at });

  stay.addEventListener("click", keepAlive);
  for (const type of ["keydown", "pointerdown"]) {
    document.addEventListener(type, () => {
      if (Date.now() - lastToldServer > 60_000) keepAlive();
      else tellTabs(lastToldServer);
    });
  }
  tabs?.addEventListener("message", ({ data }) => {
    if (data.type === "active") {
      lastToldServer = Math.max(lastToldServer, data.at);
      active();
    } else if (data.type === "hidden") {
      // Hidden in another tab: blank this one too, and sign out from here as well (whichever
      // request arrives second finds the session already ended).
      document.body.classList.add("carehub-screen-hidden");
      hideScreen.submit();
    }
  });
  schedule();
  tellTabs(lastToldServer);
}
