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

// The user's other CareHub tabs in this browser, in this session only (data-session-tag: a
// tab left open by someone who has signed out never listens to the next user's): activity in
// one keeps them all, and hiding the screen or signing out in one hides every one.
const sessionTag = document.body.dataset.sessionTag;
const channel =
  sessionTag && "BroadcastChannel" in window ? new BroadcastChannel("carehub-session") : null;
const tabs = channel && {
  post: (message) => channel.postMessage({ ...message, session: sessionTag }),
  listen: (handle) =>
    channel.addEventListener("message", ({ data }) => {
      if (data?.session === sessionTag) handle(data);
    }),
};

// "Hide screen": blank the page at once, then sign out (the form posts to /hide-screen/).
const hideScreen = document.getElementById("hide-screen");
hideScreen?.addEventListener("submit", () => {
  document.body.classList.add("carehub-screen-hidden");
  tabs?.post({ type: "hidden" });
});
document.querySelector("form.carehub-sign-out")?.addEventListener("submit", () => {
  tabs?.post({ type: "hidden" });
});

// Idle sessions end (the server signs the user out after data-idle-seconds without a
// request). Typing or clicking on the page counts as activity: it tells the server, at most
// once a minute. Otherwise warn data-idle-warning-seconds before the end, offer to stay signed
// in, and when the time is up hide the screen rather than leave a person's records on it. The
// clock runs from the last time the server heard from this session, in any of its tabs.
const idleSeconds = Number(document.body.dataset.idleSeconds);
const warning = document.getElementById("idle-warning");
const stay = document.getElementById("stay-signed-in");
if (idleSeconds && warning && stay && hideScreen) {
  const warnAfter = idleSeconds - Number(document.body.dataset.idleWarningSeconds || 0);
  const token = hideScreen.querySelector("[name=csrfmiddlewaretoken]").value;
  let timers = [];
  let lastToldServer = Date.now(); // this page's own request

  const schedule = () => {
    timers.forEach(clearTimeout);
    const since = Date.now() - lastToldServer;
    timers = [
      setTimeout(
        () => {
          warning.hidden = false;
        },
        Math.max(0, warnAfter * 1000 - since),
      ),
      setTimeout(
        () => {
          document.body.classList.add("carehub-screen-hidden");
          tabs?.post({ type: "hidden" });
          hideScreen.submit();
        },
        Math.max(0, idleSeconds * 1000 - since),
      ),
    ];
  };
  const heardFrom = (at) => {
    lastToldServer = Math.max(lastToldServer, at);
    warning.hidden = true;
    schedule();
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
      heardFrom(lastToldServer);
      tabs?.post({ type: "active", at: lastToldServer });
    } else {
      document.body.classList.add("carehub-screen-hidden");
      window.location.reload(); // signed out already: the server shows the sign-in page
    }
  };

  stay.addEventListener("click", keepAlive);
  for (const type of ["keydown", "pointerdown"]) {
    document.addEventListener(type, () => {
      if (Date.now() - lastToldServer > 60_000) keepAlive();
    });
  }
  tabs?.listen((data) => {
    if (data.type === "active") {
      heardFrom(data.at);
    } else if (data.type === "hidden") {
      // Hidden or signed out in another tab: blank this one too, and sign out from here as
      // well (whichever request arrives second finds the session already ended).
      document.body.classList.add("carehub-screen-hidden");
      hideScreen.submit();
    }
  });
  schedule();
  tabs?.post({ type: "active", at: lastToldServer });
}
