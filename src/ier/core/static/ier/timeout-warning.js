// Warns two minutes before a person's answers expire, and lets them keep them.
//
// Progressive enhancement only: without JavaScript the answers still expire after
// the same idle time and the person is told so on the next page. The dialog's words
// come from the page (so they are in the page's language); this file only times it.
export function initTimeoutWarning(root = document) {
  const dialog = root.querySelector("[data-module='ier-timeout-warning']");
  if (!dialog || typeof dialog.showModal !== "function") {
    return null;
  }
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const token = root.querySelector("input[name='csrfmiddlewaretoken']");
  let warnTimer = null;
  let expireTimer = null;

  const expire = () => {
    window.location.assign(dialog.dataset.timeoutUrl);
  };
  const warn = () => {
    if (!dialog.open) {
      dialog.showModal();
    }
  };
  const schedule = () => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(expireTimer);
    warnTimer = window.setTimeout(warn, Math.max(idle - warning, 0));
    expireTimer = window.setTimeout(expire, idle);
  };
  const stay = async () => {
    let response = null;
    try {
      response = await window.fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      });
    } catch {
      return; // offline for a moment: the warning stays, so the person can retry
    }
    if (response.status !== 204) {
      expire();
      return;
    }
    if (dialog.open) {
      dialog.close();
    }
    schedule();
  };

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", stay);
  // Escape means "I'm still here" too.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule();
  return { stay };
}
