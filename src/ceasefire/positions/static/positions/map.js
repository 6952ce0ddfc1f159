// The mission map: Leaflet from our own static files, data from the map's GeoJSON endpoint.
// Without a tile server the base is a graticule, so the mission's layers still sit in a frame.
"use strict";

(() => {
  const element = document.getElementById("map");
  const dateInput = document.getElementById("map-date");
  const state = document.getElementById("map-state");
  if (!element || !window.L) {
    return;
  }
  const L = window.L;
  // A maximum zoom even without tiles: fitting a single point would otherwise zoom to infinity.
  const map = L.map(element, { zoomSnap: 0.25, maxZoom: 18 });
  map.setView([0, 0], 2);

  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 18,
      attribution: element.dataset.tileAttribution || "",
    }).addTo(map);
  } else {
    const graticule = L.layerGroup().addTo(map);
    const steps = [30, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];
    const draw = () => {
      graticule.clearLayers();
      const bounds = map.getBounds();
      const span = Math.max(bounds.getNorth() - bounds.getSouth(), bounds.getEast() - bounds.getWest());
      const step = steps.find((candidate) => span / candidate >= 4) || steps[steps.length - 1];
      const digits = Math.max(0, -Math.floor(Math.log10(step)));
      const south = Math.max(-90, Math.floor(bounds.getSouth() / step) * step);
      const north = Math.min(90, Math.ceil(bounds.getNorth() / step) * step);
      const west = Math.floor(bounds.getWest() / step) * step;
      const east = Math.ceil(bounds.getEast() / step) * step;
      const label = (lat, lng, text) =>
        L.marker([lat, lng], {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "graticule-label", html: text, iconSize: null }),
        }).addTo(graticule);
      for (let lat = south; lat <= north + step / 2; lat += step) {
        L.polyline([[lat, west], [lat, east]], { className: "graticule", interactive: false }).addTo(graticule);
        label(lat, bounds.getWest(), `${lat.toFixed(digits)}°`);
      }
      for (let lng = west; lng <= east + step / 2; lng += step) {
        L.polyline([[south, lng], [north, lng]], { className: "graticule", interactive: false }).addTo(graticule);
        label(bounds.getNorth(), lng, `${lng.toFixed(digits)}°`);
      }
    };
    map.on("moveend", draw);
    draw();
  }

  const popup = (properties) => {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = properties.title || properties.name || properties.code || "";
    box.append(title);
    for (const line of [properties.status_label, properties.party, properties.detail]) {
      if (line) {
        const row = document.createElement("div");
        row.textContent = line;
        box.append(row);
      }
    }
    if (properties.url) {
      const link = document.createElement("a");
      link.href = properties.url;
      link.textContent = element.dataset.labelOpen;
      box.append(link);
    }
    return box;
  };

  const pointStyle = {
    position: (p) => ({ radius: 8, className: `position-marker status-${p.status}` }),
    checkpoint: () => ({ radius: 6, className: "checkpoint-marker" }),
    incident: (p) => ({ radius: 6, className: `incident-marker verification-${p.verification}` }),
  };

  let data = null;
  let fitted = false;
  const load = async () => {
    state.textContent = element.dataset.labelLoading;
    const url = new URL(element.dataset.dataUrl, window.location.href);
    if (dateInput.value) {
      url.searchParams.set("on", dateInput.value);
    }
    let collection;
    try {
      const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      collection = await response.json();
    } catch (error) {
      state.textContent = element.dataset.labelFailed;
      return;
    }
    if (data) {
      data.remove();
    }
    const counts = {};
    data = L.geoJSON(collection, {
      pointToLayer: (feature, latlng) => {
        const style = pointStyle[feature.properties.layer] || pointStyle.checkpoint;
        return L.circleMarker(latlng, style(feature.properties));
      },
      style: (feature) => {
        const p = feature.properties;
        // Leaflet applies this to points too, after pointToLayer: keep their own class.
        if (pointStyle[p.layer]) {
          return {};
        }
        return { className: p.layer === "convoy" ? "convoy-route" : `mission-layer kind-${p.kind}` };
      },
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        const key = p.layer === "position" ? p.status : p.layer;
        counts[key] = (counts[key] || 0) + 1;
        layer.bindPopup(() => popup(p));
      },
    }).addTo(map);
    for (const counter of document.querySelectorAll("[data-count]")) {
      counter.textContent = String(counts[counter.dataset.count] || 0);
    }
    if (!fitted && data.getBounds().isValid()) {
      map.fitBounds(data.getBounds(), { padding: [20, 20], maxZoom: 14 });
      fitted = true;
    }
    element.dataset.loadedOn = collection.on;
    state.textContent = "";
  };
  dateInput.addEventListener("change", load);
  document.getElementById("map-controls").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
})();
