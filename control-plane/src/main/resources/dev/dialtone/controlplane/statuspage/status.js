// Dialtone status page: renders the replica's snapshots, pushed over Server-Sent Events.
// Plain DOM, no framework and nothing from another origin; data is only ever set as text.
"use strict";

(function () {
  var $ = function (id) { return document.getElementById(id); };

  /** An element with a class and text (or child nodes). */
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content === undefined || content === null) { return e; }
    (Array.isArray(content) ? content : [content]).forEach(function (c) {
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return e;
  }

  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } return e; }

  /** HEALTH_STATUS_UP -> UP, REGION_LIFECYCLE_ACTIVE -> ACTIVE. */
  function enumName(value, prefix) {
    if (!value) { return "—"; }
    return value.indexOf(prefix) === 0 ? value.substring(prefix.length) : value;
  }

  function health(value) {
    var h = enumName(value, "HEALTH_STATUS_");
    return h === "UNSPECIFIED" ? "UNKNOWN" : h;
  }

  function badge(text, kind) { return el("span", "badge " + (kind || text.toLowerCase()), text); }

  /** A protobuf Duration ("0.012s") in milliseconds, or null. */
  function millis(duration) {
    if (!duration) { return null; }
    var s = parseFloat(duration);
    return isNaN(s) ? null : Math.round(s * 1000);
  }

  function clock(iso) {
    if (!iso || iso.indexOf("1970-01-01") === 0) { return "—"; }
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().substring(11, 19) + "Z";
  }

  /** How long before the snapshot's read time {@code iso} was. */
  function ago(iso, now) {
    if (!iso || iso.indexOf("1970-01-01") === 0) { return "never"; }
    var s = Math.max(0, Math.round((now - new Date(iso)) / 1000));
    if (s < 90) { return s + " s ago"; }
    if (s < 5400) { return Math.round(s / 60) + " min ago"; }
    return Math.round(s / 3600) + " h ago";
  }

  function renderHeader(st) {
    $("deployment").textContent = st.deployment || "";
    $("replica").textContent = st.replicaId || "—";
    $("leader").textContent = st.leaderId || "none known";
    $("epoch").textContent = st.epoch || "—";
  }

  function renderActive(st, data) {
    var p = st.placement || {};
    var active = p.outageMode ? "OUTAGE MODE" : (p.activeRegion || "none yet");
    $("active-region").textContent = active;
    $("active-region").className = p.outageMode ? "outage" : (p.activeRegion ? "" : "none");
    $("standbys").textContent = (p.standbyRegions && p.standbyRegions.length ? "standby " + p.standbyRegions.join(", ")
        : "no standby") + (p.changedAt ? " · since " + clock(p.changedAt) : "") + (p.version ? " · version " + p.version : "");

    var modes = clear($("mode"));
    var mode = enumName(st.mode, "MODE_");
    modes.appendChild(el("span", "label", "mode "));
    modes.appendChild(badge(mode, "mode-" + mode.toLowerCase()));
    if (st.recommendOnly) { modes.appendChild(badge("RECOMMEND ONLY", "degraded")); }
    modes.appendChild(badge(st.coordinationConnected ? "ZooKeeper connected" : "ZooKeeper unreachable",
        st.coordinationConnected ? "up" : "down"));

    var freeze = $("freeze");
    var f = st.freeze;
    if (f && (f.reason || f.principal)) {
      freeze.hidden = false;
      freeze.textContent = "Frozen by " + (f.principal || "?") + " at " + clock(f.at) + ": " + (f.reason || "")
          + (f.until && f.until.indexOf("1970") !== 0 ? " (until " + clock(f.until) + ")" : "");
    } else {
      freeze.hidden = true;
    }

    var plan = clear($("plan"));
    var pf = st.planInFlight;
    plan.hidden = true;
    if (pf && pf.planId) {
      plan.hidden = false;
      plan.appendChild(el("div", null, ["Plan ", el("code", null, pf.planId), " ",
          badge(enumName(pf.state, "PLAN_STATE_")), " ", pf.description || ""]));
      var steps = el("ol", "steps");
      (pf.steps || []).forEach(function (s) {
        steps.appendChild(el("li", null, [s.name + " ", badge(enumName(s.state, "PLAN_STATE_")),
            s.error ? " " + s.error : ""]));
      });
      plan.appendChild(steps);
    }
    if (st.recommendation && st.recommendation.reason) {
      plan.hidden = false;
      plan.appendChild(el("div", null, "Recommended: " + st.recommendation.reason));
    }

    var errors = clear($("errors"));
    ["status", "history", "drills"].forEach(function (part) {
      // Game days not configured is a setting, not an error: the drill section says so.
      if (data[part + "Error"] && !(part === "drills" && /not configured/.test(data.drillsError))) { errors.appendChild(el("div", null, part + ": " + data[part + "Error"])); }
    });
  }

  function renderRouting(routing, now) {
    var body = clear($("routing").tBodies[0]);
    if (!routing || routing.length === 0) {
      body.appendChild(el("tr", null, el("td", "muted", "no actuator: this replica recommends only")));
      body.firstChild.firstChild.colSpan = 5;
      return;
    }
    routing.forEach(function (r) {
      var to = r.regions ? (r.outageMode ? "outage mode" : (r.regions.join(", ") || "nothing")) : "—";
      var detail = r.error ? el("span", "down-text", r.error) : (r.detail || "");
      var row = el("tr", null, [el("td", null, el("code", null, r.actuator)), el("td", "to", to),
          el("td", null, r.ownerEpoch !== undefined ? String(r.ownerEpoch) : "—"), el("td", null, ago(r.readAt, now)),
          el("td", "detail", detail)]);
      row.dataset.actuator = r.actuator;
      body.appendChild(row);
    });
  }

  function renderRegions(st, now) {
    var cards = clear($("regions"));
    var active = (st.placement || {}).activeRegion;
    (st.regions || []).forEach(function (r) {
      var h = health(r.health);
      var card = el("article", "card " + h.toLowerCase() + (r.id === active ? " is-active" : ""));
      card.dataset.region = r.id;
      card.appendChild(el("h3", null, [r.id + " ", badge(h), " ",
          el("span", "muted", enumName(r.lifecycle, "REGION_LIFECYCLE_") + " · priority " + (r.priority || 0)
              + (r.ready ? " · ready" : " · not ready"))]));
      // The reason reads "ACTIVE since <instant>; health DOWN, critical DOWN: db": the lifecycle is in the heading.
      var why = r.reason ? r.reason.substring(r.reason.indexOf("; ") + 2) : "";
      card.appendChild(el("div", "muted", "last report " + ago(r.lastReportAt, now) + (why ? " · " + why : "")));
      var deps = el("table", "deps");
      deps.appendChild(el("thead", null, el("tr", null, [el("th", null, "Dependency"), el("th", null, "State"),
          el("th", "num", "Latency")])));
      var tb = el("tbody");
      (r.dependencies || []).forEach(function (d) {
        var ms = millis(d.latency);
        var name = el("td", null, [d.name, " ", el("span", "muted", enumName(d.kind, "DEPENDENCY_KIND_").toLowerCase()
            + (d.critical ? ", critical" : ""))]);
        if (d.errorText) { name.appendChild(el("div", "down-text detail", d.errorText)); }
        var row = el("tr", null, [name, el("td", null, badge(health(d.status))),
            el("td", "num", ms === null ? "—" : ms + " ms")]);
        row.dataset.dependency = d.name;
        tb.appendChild(row);
      });
      (r.seenFromOutside || []).forEach(function (v) {
        var ms = millis(v.latency);
        tb.appendChild(el("tr", "vantage", [el("td", null, ["edge from outside", v.errorText ? el("div", "down-text detail",
            v.errorText) : ""]), el("td", null, badge(health(v.status))), el("td", "num", ms === null ? "—" : ms + " ms")]));
      });
      if (!tb.firstChild) { tb.appendChild(el("tr", null, el("td", "muted", "no report yet"))); }
      deps.appendChild(tb);
      card.appendChild(el("div", "table", deps));
      cards.appendChild(card);
    });
  }

  function renderHistory(entries) {
    var list = clear($("history"));
    (entries || []).forEach(function (e) {
      var li = el("li", "entry kind-" + enumName(e.kind, "HISTORY_KIND_").toLowerCase(), [
        el("time", null, clock(e.at)), " ", badge(enumName(e.kind, "HISTORY_KIND_").replace("_", " "), "kind"), " ",
        el("span", "summary", e.summary || "")]);
      if (e.reason) { li.appendChild(el("div", "reason", "why: " + e.reason)); }
      if (e.principal) { li.appendChild(el("div", "muted", "by " + e.principal + (e.epoch ? " · epoch " + e.epoch : ""))); }
      list.appendChild(li);
    });
    if (!list.firstChild) { list.appendChild(el("li", "muted", "nothing yet")); }
  }

  function runState(run) { return enumName(run.state, "DRILL_RUN_STATE_"); }

  function renderDrill(drills, now) {
    var box = clear($("drill"));
    var reports = clear($("reports"));
    if (!drills) { box.appendChild(el("p", "muted", "game days are not configured")); return; }
    var latest = drills.latest;
    var live = latest && ["PREFLIGHT", "RUNNING", "HEALING"].indexOf(runState(latest.run)) >= 0;
    if (!latest) {
      box.appendChild(el("p", "muted", "no drill has run"));
    } else {
      var run = latest.run;
      box.appendChild(el("p", null, [live ? "In progress: " : "Last: ", el("strong", null, run.drill), " ",
          badge(runState(run), live ? "running" : runState(run).toLowerCase()), " ",
          el("span", "muted", "started " + ago(run.startedAt, now) + (run.reason ? " · " + run.reason : ""))]));
      var report = latest.report;
      if (report && report.timeline) {
        var start = new Date(report.startedAt || run.startedAt);
        var tl = el("ol", "timeline");
        report.timeline.forEach(function (t) {
          var offset = ((new Date(t.at) - start) / 1000).toFixed(1);
          tl.appendChild(el("li", null, [el("span", "offset", "+" + offset + " s"), " ", el("strong", null, t.kind),
              t.detail ? " " + t.detail : ""]));
        });
        box.appendChild(tl);
        if (report.figures && report.figures.length) {
          var figs = el("ul", "figures");
          report.figures.forEach(function (f) {
            figs.appendChild(el("li", null, [f.name + ": " + f.measured + (f.objective ? " (objective " + f.objective + ")" : ""),
                " ", f.met === true ? badge("met", "up") : f.met === false ? badge("missed", "down") : ""]));
          });
          box.appendChild(figs);
        }
      }
    }
    var runs = (drills.runs || []).slice().sort(function (a, b) {
      return String(b.startedAt).localeCompare(String(a.startedAt));
    });
    runs.slice(0, 10).forEach(function (r) {
      var a = el("a", null, r.drill + " · " + clock(r.startedAt));
      a.href = "/reports/" + encodeURIComponent(r.runId);
      reports.appendChild(el("li", null, [a, " ", badge(runState(r), runState(r).toLowerCase())]));
    });
    if (!reports.firstChild) { reports.appendChild(el("li", "muted", "no reports yet")); }
  }

  function render(data) {
    var st = data.status || {};
    var now = data.readAt ? new Date(data.readAt) : new Date();
    renderHeader(st);
    renderActive(st, data);
    renderRouting(data.routing, now);
    renderRegions(st, now);
    renderDrill(data.drills, now);
    renderHistory(data.history);
    $("read-at").textContent = clock(data.readAt);
    document.body.dataset.version = (Number(document.body.dataset.version || 0) + 1).toString();
  }

  function live(text, kind) {
    var b = $("live");
    b.textContent = text;
    b.className = "badge " + kind;
  }

  function connect() {
    var source = new EventSource("/api/events");
    source.addEventListener("viewer", function (e) { $("viewer").textContent = JSON.parse(e.data); });
    source.addEventListener("snapshot", function (e) {
      live("live", "up");
      render(JSON.parse(e.data));
    });
    source.addEventListener("signed-out", function () { source.close(); window.location.reload(); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (signed out, or the replica restarted and forgot the sign-in): the page asks again.
        live("disconnected", "down");
        window.setTimeout(function () { window.location.reload(); }, 2000);
      } else {
        live("reconnecting…", "degraded");
      }
    };
  }

  document.addEventListener("DOMContentLoaded", connect);
})();
