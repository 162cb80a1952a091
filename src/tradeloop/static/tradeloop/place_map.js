// Places: "Near me" (browser geolocation) and maps (Leaflet, OpenStreetMap tiles). An enhancement only: every
// page works without script and without tiles — the position can be typed, or taken from the city list.
(function () {
  "use strict";

  function fixed(n) { return (Math.round(n * 100000) / 100000).toFixed(5); }

  function mapIn(element, lat, lng, zoom, options) {
    element.hidden = false;
    var map = window.L.map(element, options || {}).setView([lat, lng], zoom);
    window.L.tileLayer(element.dataset.tiles, {
      maxZoom: 19,
      attribution: element.dataset.attribution || "",
    }).addTo(map);
    return map;
  }

  function marker(map, lat, lng) {
    return window.L.circleMarker([lat, lng], { radius: 8, color: "#c2410c", weight: 3, fillOpacity: 0.35 }).addTo(map);
  }

  // /local/: "Near me" fills the position field and searches.
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    if (!("geolocation" in navigator)) return;
    button.hidden = false;
    var form = button.closest("form");
    var input = form.querySelector("[name=near]");
    var error = form.querySelector("[data-near-error]");
    button.addEventListener("click", function () {
      button.setAttribute("aria-busy", "true");
      navigator.geolocation.getCurrentPosition(function (position) {
        input.value = fixed(position.coords.latitude) + "," + fixed(position.coords.longitude);
        var sort = form.querySelector("[name=sort]");
        if (sort && !sort.value) sort.value = "distance";
        form.requestSubmit();
      }, function () {
        button.removeAttribute("aria-busy");
        if (error) { error.textContent = button.dataset.denied || ""; error.hidden = false; }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  });

  if (!window.L) return;

  // /local/: a map to click the position on, opened on demand.
  document.querySelectorAll("[data-map-toggle]").forEach(function (toggle) {
    var form = toggle.closest("form");
    var element = form.querySelector("[data-place-map]");
    var input = document.getElementById(element.dataset.pick);
    var map = null;
    var pin = null;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      if (map) {
        element.hidden = !element.hidden;
        toggle.setAttribute("aria-expanded", String(!element.hidden));
        return;
      }
      var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
      map = mapIn(element, lat, lng, 12);
      toggle.setAttribute("aria-expanded", "true");
      if (input.value) pin = marker(map, lat, lng);
      map.on("click", function (event) {
        input.value = fixed(event.latlng.lat) + "," + fixed(event.latlng.lng);
        if (pin) pin.setLatLng(event.latlng); else pin = marker(map, event.latlng.lat, event.latlng.lng);
      });
    });
  });

  // The place page: a small map with the place on it.
  document.querySelectorAll("[data-place-spot]").forEach(function (element) {
    var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
    var map = mapIn(element, lat, lng, 15, { scrollWheelZoom: false });
    marker(map, lat, lng);
  });

  // The console editor: click the map to set latitude and longitude.
  document.querySelectorAll("[data-place-picker]").forEach(function (element) {
    var form = element.closest("form");
    var latInput = form.querySelector("[data-place-lat]");
    var lngInput = form.querySelector("[data-place-lng]");
    var lat = parseFloat(latInput.value) || parseFloat(element.dataset.lat);
    var lng = parseFloat(lngInput.value) || parseFloat(element.dataset.lng);
    var map = mapIn(element, lat, lng, latInput.value ? 15 : 11);
    var pin = latInput.value ? marker(map, lat, lng) : null;
    map.on("click", function (event) {
      latInput.value = fixed(event.latlng.lat);
      lngInput.value = fixed(event.latlng.lng);
      if (pin) pin.setLatLng(event.latlng); else pin = marker(map, event.latlng.lat, event.latlng.lng);
    });
  });
})();
