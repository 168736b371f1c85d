// Plotly charts for the Dashboard: init/update split (after Aspire's PlotlyChart), updates throttled to one
// per 200 ms per chart, colours taken from the page theme, parallel-coordinates brushing sent back throttled.
const throttleMs = 200;
const charts = new Map();
let plotlyLoading;

let plotlyCss = null;

// Plotly adds its global CSS to <head> once, at load. Blazor's enhanced navigation rewrites <head> and drops it,
// which leaves later charts unstyled; keep a copy and put it back before drawing.
function ensurePlotlyCss() {
  const id = 'plotly.js-style-global';
  const existing = document.getElementById(id);
  if (existing && plotlyCss === null) {
    plotlyCss = Array.from(existing.sheet?.cssRules ?? []).map(r => r.cssText).join('\n');
  } else if (!existing && plotlyCss !== null) {
    const style = document.createElement('style');
    style.id = id;
    style.textContent = plotlyCss;
    document.head.appendChild(style);
  }
}

function loadPlotly() {
  if (window.Plotly) { ensurePlotlyCss(); return Promise.resolve(window.Plotly); }
  plotlyLoading ??= new Promise((resolve, reject) => {
    // The page starts loading it (async) as it opens; add the script only when that tag is gone.
    let script = document.getElementById('plotly-script');
    if (!script) {
      script = document.createElement('script');
      script.src = 'lib/plotly/plotly.min.js';
      document.head.appendChild(script);
    }
    script.addEventListener('load', () => { ensurePlotlyCss(); resolve(window.Plotly); });
    script.addEventListener('error', () => reject(new Error('plotly.min.js failed to load')));
    if (window.Plotly) { ensurePlotlyCss(); resolve(window.Plotly); }
  });
  return plotlyLoading;
}

function themed(layout) {
  const style = getComputedStyle(document.documentElement);
  const fg = style.getPropertyValue('--fg').trim() || '#242424';
  const grid = style.getPropertyValue('--grid').trim() || '#e0e0e0';
  const axis = (a) => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, automargin: true, ...(a || {}) });
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: 'Segoe UI, system-ui, sans-serif', size: 12, color: fg },
    margin: { l: 56, r: 16, t: 16, b: 44 },
    hoverlabel: { namelength: -1 },
    ...layout,
    xaxis: axis(layout.xaxis),
    yaxis: axis(layout.yaxis),
  };
}

const config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };

function draw(element) {
  const chart = charts.get(element);
  if (!chart || !chart.pending || !element.isConnected) return;
  ensurePlotlyCss();
  const { data, layout } = chart.pending;
  chart.pending = null;
  chart.last = { data, layout };
  chart.lastDraw = performance.now();
  window.Plotly.react(element, data, themed(layout), config).then(() => {
    element.setAttribute('data-chart-drawn', '1');
    performance.mark('experiments:chart-drawn');
  });
}

function schedule(element) {
  const chart = charts.get(element);
  if (!chart || chart.timer) return;
  const wait = Math.max(0, throttleMs - (performance.now() - chart.lastDraw));
  chart.timer = setTimeout(() => { chart.timer = null; draw(element); }, wait);
}

function constraintsOf(element) {
  const trace = element.data && element.data[0];
  if (!trace || trace.type !== 'parcoords') return [];
  const result = [];
  trace.dimensions.forEach((d, i) => {
    const range = d.constraintrange;
    if (!range || range.length === 0) return;
    const ranges = Array.isArray(range[0]) ? range : [range];
    result.push({ dimension: i, ranges });
  });
  return result;
}

export async function init(element, data, layout, dotnet) {
  // Marks for bench/dashboard-scale's breakdown of a visit (the browser's own timeline; nothing is sent anywhere).
  performance.mark('experiments:chart-init');
  const Plotly = await loadPlotly();
  performance.mark('experiments:plotly-ready');
  charts.set(element, { pending: { data, layout }, last: null, lastDraw: 0, timer: null });
  draw(element);
  if (dotnet) {
    let brushTimer = null;
    element.on('plotly_restyle', () => {
      clearTimeout(brushTimer);
      brushTimer = setTimeout(() => dotnet.invokeMethodAsync('OnBrushed', constraintsOf(element)), throttleMs);
    });
  }
  return Plotly !== undefined;
}

export function update(element, data, layout) {
  const chart = charts.get(element);
  if (!chart) return;
  chart.pending = { data, layout };
  schedule(element);
}

export function dispose(element) {
  if (!element) return; // Blazor already removed the element.
  const chart = charts.get(element);
  if (chart?.timer) clearTimeout(chart.timer);
  charts.delete(element);
  if (window.Plotly && element.isConnected) window.Plotly.purge(element);
}

// Redraw every chart in the new colours when the theme changes.
window.addEventListener('themechange', () => {
  for (const [element, chart] of charts) {
    if (chart.last) { chart.pending = chart.last; schedule(element); }
  }
});
