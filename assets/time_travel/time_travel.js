// The As of control and the matrix it redraws, in the browser: a slider over the stops, a Play
// button, and the matrix drawn with plotly.js from the installed plotly package (served by the
// app at /app/static/plotly.min.js). Python sends the figure at its date and the looks of every
// cell at every stop; moving the slider swaps those arrays with no server round trip. When the
// motion stops (or Play pauses), the date goes back to Python as the trigger "date".

const PLOTLY_URL = "/app/static/plotly.min.js";
const SETTLE_MS = 400; // a date is reported once the slider has been still this long

// One private plotly.js per page. Its file ends by setting window.Plotly, which Streamlit's own
// charts set too: the one there before is put back, and ours is kept to ourselves.
function loadPlotly() {
  if (!window.__timeTravelPlotly) {
    window.__timeTravelPlotly = fetch(PLOTLY_URL)
      .then((r) => {
        if (!r.ok) throw new Error(`plotly.js not served (${r.status})`);
        return r.text();
      })
      .then((code) => {
        const before = window.Plotly;
        const module = { exports: {} };
        new Function("module", code)(module);
        window.Plotly = before || module.exports; // the chart download buttons use it
        return module.exports;
      });
  }
  return window.__timeTravelPlotly;
}

function looksAt(frames, stop) {
  const current = new Array(frames.points.length).fill(0);
  for (let s = 0; s <= stop; s++) {
    for (const [i, look] of frames.steps[s]) current[i] = look;
  }
  return current;
}

// The figure at stop `stop`: Python's figure with the cells' arrays and title of that stop.
function figureAt(spec, stop) {
  const { figure, frames } = spec;
  const looks = looksAt(frames, stop).map((i) => frames.looks[i]);
  const field = Object.fromEntries(frames.fields.map((name, k) => [name, k]));
  const data = figure.data.map((t) => ({ ...t }));
  const heat = data.find((t) => t.name === "cells");
  const select = data.find((t) => t.name === "select");
  heat.z = heat.z.map((row) => row.slice());
  heat.text = heat.text.map((row) => row.slice());
  frames.points.forEach(([y, x], i) => {
    heat.z[y][x] = looks[i][field.z];
    heat.text[y][x] = looks[i][field.text];
  });
  const pick = (name) => looks.map((l) => l[field[name]]);
  select.hovertext = pick("hover");
  select.marker = {
    ...select.marker,
    symbol: pick("symbol"),
    size: pick("size"),
    color: pick("color"),
    line: { ...(select.marker.line || {}), width: pick("width") },
  };
  const title = { ...figure.layout.title, text: frames.titles[stop] };
  return { data, layout: { ...figure.layout, title, datarevision: stop } };
}

// The alignment chart at stop `stop`: Python's figure with that stop's bars, height and note.
function alignmentAt(spec, stop) {
  const { figure, frames } = spec;
  const part = frames.parts[frames.at[stop]];
  const [bar, ...rest] = figure.data;
  const data = [
    {
      ...bar, x: part.x, y: part.y, text: part.text, customdata: part.customdata,
      marker: { ...bar.marker, color: part.x },
    },
    ...rest,
  ];
  const annotations = part.note ? [{ ...spec.note_place, text: part.note }] : [];
  const title = { ...figure.layout.title, text: frames.titles[stop] };
  return {
    data,
    layout: { ...figure.layout, title, annotations, height: part.height, datarevision: stop },
  };
}

// Printed, a chart keeps its screen width and is zoomed to fit the page's printable area
// (spec.print_area, in CSS pixels), as ui.charts does for Streamlit's own charts.
function fitPrint(plot, host, area) {
  const size = plot._fullLayout;
  const frame = host.closest("[data-testid=stElementContainer]");
  if (!size || !frame || !area || matchMedia("print").matches) return;
  frame.classList.add("tt-print");
  frame.style.setProperty("--print-zoom", String(Math.min(1, area[0] / size.width,
                                                          area[1] / size.height)));
  frame.style.setProperty("--print-width", `${size.width}px`);
}

function themed(layout, host) {
  const css = getComputedStyle(host);
  const text = css.getPropertyValue("--st-text-color").trim() || "#111111";
  const font = css.getPropertyValue("--st-font").trim() || "sans-serif";
  return {
    ...layout,
    xaxis: { automargin: true, ...layout.xaxis },
    yaxis: { automargin: true, ...layout.yaxis },
    paper_bgcolor: layout.paper_bgcolor || "rgba(0,0,0,0)", // high contrast sets its own
    plot_bgcolor: layout.plot_bgcolor || "rgba(0,0,0,0)",
    font: { family: font, color: text, ...(layout.font || {}) },
  };
}

const HTML = `
<div class="tt-controls">
  <button type="button" class="tt-play" aria-pressed="false" aria-keyshortcuts="p"
    title="Play through the dates (key P)">Play</button>
  <label class="tt-speed-label">Speed
    <select class="tt-speed">
      <option value="400">Slow (2.5 dates a second)</option>
      <option value="100" selected>Normal (10 a second)</option>
      <option value="40">Fast (25 a second)</option>
      <option value="0">Fastest (as fast as drawn)</option>
    </select>
  </label>
  <div class="tt-track">
    <label class="tt-label" for="">As of</label>
    <input type="range" class="tt-slider" min="0" step="1" aria-label="As of">
  </div>
  <output class="tt-date" aria-live="off"></output>
</div>
<div class="tt-plot"></div>`;

// A chart that follows another control's date (spec.follows: that control's key).
function follow(spec, host) {
  let f = host.__timeTravel;
  if (!f) {
    const plot = document.createElement("div");
    plot.className = "tt-plot tt-follower";
    host.appendChild(plot);
    f = host.__timeTravel = { plot, spec, drawing: false, queued: null };
    window.addEventListener(`time-travel:${spec.follows}`, (event) => {
      if (plot.isConnected) f.show(event.detail.date);
    });
  }
  f.spec = spec;
  f.show = (date) => {
    const stop = f.spec.frames.dates.indexOf(date);
    if (stop === -1) return;
    f.queued = stop;
    if (f.drawing) return;
    f.drawing = true;
    loadPlotly()
      .then(async (Plotly) => {
        while (f.queued !== null) {
          const next = f.queued;
          f.queued = null;
          const fig = alignmentAt(f.spec, next);
          await Plotly.react(f.plot, fig.data, themed(fig.layout, host), f.spec.config);
          fitPrint(f.plot, host, f.spec.print_area);
        }
      })
      .finally(() => {
        f.drawing = false;
      });
  };
  if (spec.alt) {
    f.plot.setAttribute("role", "figure");
    f.plot.setAttribute("aria-label", spec.alt);
  }
  const now = (window.__timeTravelAt || {})[spec.follows];
  f.show(spec.frames.dates.includes(now) ? now : spec.date);
}

export default function (component) {
  const { data: spec, parentElement: host, setTriggerValue } = component;
  if (spec.follows) return follow(spec, host);
  let state = host.__timeTravel;
  if (!state) {
    const root = document.createElement("div");
    root.className = "tt";
    root.innerHTML = HTML;
    host.appendChild(root);
    state = host.__timeTravel = {
      root,
      slider: root.querySelector(".tt-slider"),
      play: root.querySelector(".tt-play"),
      speed: root.querySelector(".tt-speed"),
      output: root.querySelector(".tt-date"),
      plot: root.querySelector(".tt-plot"),
      spec: null,
      stop: 0,
      sent: null, // the last date Python was told or told us
      timer: null,
      player: null,
      drawing: false,
      queued: null,
    };
    const id = `tt-${Math.random().toString(36).slice(2)}`;
    state.slider.id = id;
    root.querySelector(".tt-label").htmlFor = id;
  }
  const s = state;
  s.setTriggerValue = setTriggerValue;

  const report = () => {
    clearTimeout(s.timer);
    s.timer = null;
    const date = s.spec.frames.dates[s.stop];
    if (date !== s.sent && !s.spec.quiet) {
      s.sent = date;
      s.setTriggerValue("date", date);
    }
  };

  const draw = async (stop) => {
    s.queued = stop;
    if (s.drawing) return; // the latest queued stop is drawn when this draw ends
    s.drawing = true;
    try {
      const Plotly = await loadPlotly();
      while (s.queued !== null) {
        const next = s.queued;
        s.queued = null;
        const fig = figureAt(s.spec, next);
        await Plotly.react(s.plot, fig.data, themed(fig.layout, host), s.spec.config);
        fitPrint(s.plot, host, s.spec.print_area);
        if (!s.plot.__ttClicks) {
          s.plot.__ttClicks = true;
          s.plot.on("plotly_click", (event) => {
            const point = event.points.find((p) => p.data.name === "select");
            if (!point || !point.customdata) return;
            clearTimeout(s.timer);
            s.timer = null;
            s.sent = s.spec.frames.dates[s.stop];
            s.setTriggerValue("cell", { cell: point.customdata.slice(0, 2), date: s.sent });
          });
        }
      }
    } finally {
      s.drawing = false;
    }
  };

  const show = (stop, { settle = true } = {}) => {
    const frames = s.spec.frames;
    s.stop = Math.max(0, Math.min(frames.dates.length - 1, stop));
    s.slider.value = String(s.stop);
    s.slider.setAttribute("aria-valuetext", frames.days[s.stop]);
    s.output.textContent = frames.days[s.stop];
    draw(s.stop);
    if (s.spec.key) {
      const date = frames.dates[s.stop];
      window.__timeTravelAt = { ...(window.__timeTravelAt || {}), [s.spec.key]: date };
      window.dispatchEvent(new CustomEvent(`time-travel:${s.spec.key}`, { detail: { date } }));
    }
    if (settle) {
      clearTimeout(s.timer);
      s.timer = setTimeout(report, SETTLE_MS);
    }
  };

  const pause = () => {
    if (!s.player) return;
    clearInterval(s.player);
    s.player = null;
    s.root.classList.remove("tt-playing");
    s.play.textContent = "Play";
    s.play.setAttribute("aria-pressed", "false");
    report();
  };

  const play = () => {
    if (s.player) return;
    const last = s.spec.frames.dates.length - 1;
    if (s.stop >= last) show(0, { settle: false }); // from the start again
    s.root.classList.add("tt-playing");
    s.play.textContent = "Pause";
    s.play.setAttribute("aria-pressed", "true");
    clearTimeout(s.timer);
    // A step waits for the one before to be drawn, so no date is skipped: the rate is the
    // speed chosen or the drawing's own, whichever is slower.
    s.player = setInterval(() => {
      if (!s.root.isConnected) return clearInterval(s.player); // the page was left
      if (s.drawing) return;
      if (s.stop >= last) return pause();
      show(s.stop + 1, { settle: false });
    }, Math.max(Number(s.speed.value), 4));
  };
  s.toggle = () => (s.player ? pause() : play());

  if (!s.wired) {
    s.wired = true;
    s.slider.addEventListener("input", () => {
      if (s.player) pause();
      show(Number(s.slider.value));
    });
    s.play.addEventListener("click", () => s.toggle());
    s.speed.addEventListener("change", () => {
      if (s.player) {
        clearInterval(s.player);
        s.player = null;
        play();
      }
    });
  }
  // P plays and pauses from anywhere on the page but a field being typed in. Added once per
  // control: Streamlit keeps only the last cleanup a component returns, and calls it on removal.
  if (!s.onKey) {
    s.onKey = (event) => {
      if (event.key !== "p" && event.key !== "P") return;
      if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
      const t = event.target;
      const typing =
        t && (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
          (t.tagName === "INPUT" && t.type !== "range" && t.type !== "button"));
      if (typing || !s.root.isConnected) return;
      event.preventDefault();
      s.toggle();
    };
    document.addEventListener("keydown", s.onKey);
  }

  const first = s.spec === null;
  const previous = s.spec;
  s.spec = spec;
  const frames = spec.frames;
  s.slider.max = String(frames.dates.length - 1);
  if (spec.alt) {
    s.plot.setAttribute("role", "figure");
    s.plot.setAttribute("aria-label", spec.alt);
  }
  const asked = frames.dates.indexOf(spec.date);
  if (first || (spec.date !== s.sent && asked !== -1 && !s.player)) {
    // a new page, or Python moved the date (a typed date, Jump to, a link)
    s.sent = spec.date;
    show(asked === -1 ? 0 : asked, { settle: false });
  } else {
    // the same date, or one the browser has moved on from: keep what is shown
    const kept = frames.dates.indexOf(previous.frames.dates[s.stop]);
    show(kept === -1 ? asked : kept, { settle: s.timer !== null });
  }
  if (first && spec.autoplay) play();
  return () => {
    document.removeEventListener("keydown", s.onKey);
    clearInterval(s.player);
  };
}
