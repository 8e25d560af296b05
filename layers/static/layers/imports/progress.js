// Follows an import being checked or committed: polls its progress endpoint every second,
// moves the <progress> bar, and tells screen readers how far it is now and then (a polite
// live region, at most every ten seconds and on every change of state). When the step ends
// the page reloads to show the result; the state always comes from the server.

const POLL_MS = 1000;
const ANNOUNCE_MS = 10000;

function follow(box) {
  const url = box.dataset.progressUrl;
  const initialState = box.dataset.state;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const status = box.querySelector("[data-progress-status]");
  const warning = box.querySelector("[data-worker-warning]");
  let lastAnnounced = 0;
  let failures = 0;

  function update(data) {
    if (data.total) {
      bar.max = data.total;
      bar.value = Math.min(data.done, data.total);
    } else {
      bar.removeAttribute("value");
    }
    if (data.text) text.textContent = data.text;
    const now = Date.now();
    if (now - lastAnnounced >= ANNOUNCE_MS) {
      lastAnnounced = now;
      status.textContent = [data.state_label, data.text].filter(Boolean).join(". ");
    }
    if (data.waiting_for_worker) {
      if (warning.textContent !== data.message) warning.textContent = data.message;
      warning.hidden = false;
    } else {
      warning.hidden = true;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => {
        failures = 0;
        if (data.state !== initialState || !data.working) {
          status.textContent = data.state_label;
          window.location.reload();
          return;
        }
        update(data);
        window.setTimeout(poll, POLL_MS);
      })
      .catch(() => {
        failures += 1;
        window.setTimeout(poll, Math.min(POLL_MS * 2 ** failures, 30000));
      });
  }

  lastAnnounced = Date.now();
  window.setTimeout(poll, POLL_MS);
}

document.querySelectorAll("[data-progress-url]").forEach(follow);
