// The deal page's countdown to the end of the sale: the server renders the date and the time left; this keeps the
// time left ticking (d hh:mm:ss). Without JavaScript the date stays.
(function () {
  const box = document.querySelector("[data-countdown]");
  if (!box) return;
  const end = Date.parse(box.dataset.countdown);
  const out = box.querySelector("[data-countdown-left]");
  if (!out || Number.isNaN(end)) return;
  const pad = (n) => String(n).padStart(2, "0");
  function tick() {
    const left = Math.max(0, Math.floor((end - Date.now()) / 1000));
    if (left === 0) {
      out.textContent = box.dataset.labelEnded;
      return;
    }
    const days = Math.floor(left / 86400);
    const clock = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
    out.textContent = days ? `${days}d ${clock}` : clock;
    window.setTimeout(tick, 1000);
  }
  tick();
})();
