// The list screening's progress bar: asks the server how far it has got, about once a second, and shows the
// result (or the problem) by reloading the page once the screening has ended. Without JavaScript, reloading
// the page by hand does the same.
const bar = document.getElementById("tien-do");
if (bar) {
  const text = document.getElementById("tien-do-chu");
  const api = bar.getAttribute("data-api");
  const tick = async () => {
    try {
      const response = await fetch(api, { headers: { accept: "application/json" } });
      const body = await response.json();
      if (!body.ok || body.state === "done" || body.state === "failed") {
        window.location.reload();
        return;
      }
      if (body.expectedRows) {
        bar.max = body.expectedRows;
        bar.value = Math.min(body.rowsDone, body.expectedRows);
      }
      if (text.textContent !== body.text) text.textContent = body.text;
    } catch {
      // The server did not answer this time: ask again.
    }
    setTimeout(tick, 800);
  };
  setTimeout(tick, 300);
}
