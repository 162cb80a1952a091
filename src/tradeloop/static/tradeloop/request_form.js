// Post a request: "Use my location" fills the latitude and longitude fields from the browser. An enhancement only:
// the position can always be typed.
(function () {
  "use strict";
  document.querySelectorAll("[data-request-locate]").forEach(function (button) {
    if (!("geolocation" in navigator)) return;
    button.hidden = false;
    var form = button.closest("form");
    var error = form.querySelector("[data-locate-error]");
    button.addEventListener("click", function () {
      button.setAttribute("aria-busy", "true");
      navigator.geolocation.getCurrentPosition(function (position) {
        button.removeAttribute("aria-busy");
        form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(5);
      }, function () {
        button.removeAttribute("aria-busy");
        if (error) { error.textContent = button.dataset.denied || ""; error.hidden = false; }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  });
})();
