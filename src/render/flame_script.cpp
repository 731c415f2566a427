// SPDX-License-Identifier: GPL-2.0-only
// Written for sockscope from the idea of Brendan Gregg's flame graphs (click
// to zoom, search to highlight); no code of flamegraph.pl is in it.
#include "render/flame_script.h"

namespace sockscope::render {

// Geometry comes from the document (data-* on the root <svg>), so the C++
// layout stays the one source of sizes.
const char* const kFlameScript = R"JS(
"use strict";
(function () {
  var root = document.getElementById("ss-flame");
  var left = +root.getAttribute("data-pad");
  var full = +root.getAttribute("data-inner");
  var font = +root.getAttribute("data-font");
  var frames = [];
  var details = document.getElementById("ss-details");
  var matched = document.getElementById("ss-matched");
  var reset = document.getElementById("ss-reset");
  var idle = details.textContent;

  // The label that fits in w pixels, cut with ".." as the static picture is.
  function fit(name, w) {
    var chars = Math.floor((w - 6) / (font * 0.59));
    if (chars < 3) return "";
    return name.length <= chars ? name : name.slice(0, chars - 2) + "..";
  }
  function place(f, x, w) {
    f.rect.setAttribute("x", x.toFixed(1));
    f.rect.setAttribute("width", w.toFixed(1));
    f.text.setAttribute("x", (x + 3).toFixed(1));
    f.text.textContent = fit(f.name, w);
  }
  function show(f, on) { f.g.style.display = on ? "" : "none"; }

  function zoom(t) {
    var scale = full / t.w, eps = 0.01;
    frames.forEach(function (f) {
      var inside = f.x >= t.x - eps && f.x + f.w <= t.x + t.w + eps;
      var around = f.x <= t.x + eps && f.x + f.w >= t.x + t.w - eps;
      if (f.y < t.y && inside) {  // above t: its callees
        place(f, left + (f.x - t.x) * scale, f.w * scale);
        show(f, true);
        f.g.style.opacity = "";
      } else if (f.y >= t.y && around) {  // t and its callers
        place(f, left, full);
        show(f, true);
        f.g.style.opacity = f === t ? "" : "0.6";
      } else {
        show(f, false);
      }
    });
    reset.style.display = "";
  }
  function unzoom() {
    frames.forEach(function (f) {
      place(f, f.x, f.w);
      show(f, true);
      f.g.style.opacity = "";
    });
    reset.style.display = "none";
  }

  // Highlights frames whose name matches; the share counts each column of
  // the graph once, so a match inside a match is not counted twice.
  function search(text) {
    var re = null, spans = [];
    if (text) {
      try { re = new RegExp(text); } catch (e) { matched.textContent = "not a regular expression: " + text; return -1; }
    }
    frames.forEach(function (f) {
      var hit = re !== null && re.test(f.name);
      f.rect.setAttribute("fill", hit ? "rgb(230,0,230)" : f.fill);
      if (hit) spans.push([f.x, f.x + f.w]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var sum = 0, end = -Infinity;
    spans.forEach(function (s) {
      if (s[0] > end) { sum += s[1] - s[0]; end = s[1]; }
      else if (s[1] > end) { sum += s[1] - end; end = s[1]; }
    });
    var pct = full > 0 ? 100 * sum / full : 0;
    matched.textContent = re === null ? "" : "Matched: " + pct.toFixed(1) + "%";
    return pct;
  }
  function ask() {
    var text = window.prompt("Search frames (regular expression)", "");
    if (text !== null) search(text);
  }

  Array.prototype.forEach.call(root.querySelectorAll("g.f"), function (g) {
    var rect = g.querySelector("rect");
    var f = {g: g, rect: rect, text: g.querySelector("text"), name: g.getAttribute("data-name"),
             x: +rect.getAttribute("x"), w: +rect.getAttribute("width"), y: +rect.getAttribute("y"),
             fill: rect.getAttribute("fill"), tip: g.querySelector("title").textContent};
    frames.push(f);
    g.addEventListener("click", function () { zoom(f); });
    g.addEventListener("mouseover", function () { details.textContent = f.tip; });
    g.addEventListener("mouseout", function () { details.textContent = idle; });
  });
  reset.addEventListener("click", unzoom);
  document.getElementById("ss-search").addEventListener("click", ask);
  document.addEventListener("keydown", function (e) {
    if (e.key === "f" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ask(); }
    if (e.key === "Escape") { search(""); unzoom(); }
  });
  // For links and tests: FILE.svg#search=REGEX
  var hash = window.location.hash;
  if (hash.indexOf("#search=") === 0) search(decodeURIComponent(hash.slice(8)));
  window.sockscopeFlame = {search: search, zoom: function (i) { zoom(frames[i]); }, reset: unzoom};
})();
)JS";

}  // namespace sockscope::render
