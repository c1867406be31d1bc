// Charts through Chart.js (npm chart.js, /vendor/chart.umd.min.js, fetched the first time a page
// draws one). Each chart has a text summary for screen readers and its numbers as text. Home does
// not load this module: its bars are dom.js's barList.

import {h, onLeave} from './dom.js';
import {currentLanguage, formatNumber, t} from './i18n.js';

const live = new Map();  // canvas id → Chart, destroyed when the page is left.

function destroyCharts() {
  for (const chart of live.values()) chart.destroy();
  live.clear();
}

function colours() {
  const style = getComputedStyle(document.documentElement);
  return {
    bar: style.getPropertyValue('--chart-bar').trim() || '#2f6f5e',
    alt: style.getPropertyValue('--chart-alt').trim() || '#b5542c',
    text: style.getPropertyValue('--text').trim() || '#1d2521',
    grid: style.getPropertyValue('--line').trim() || '#d5ddd9',
  };
}

// A bar chart. `points` is [{label, value}]; `summary` is read in place of the picture.
export function barChart({id, title, unit, points, summary, horizontal = false}) {
  const canvas = h('canvas', {id, role: 'img', 'aria-label': summary});
  const figure = h('figure', {class: 'chart'},
    h('figcaption', {}, title),
    h('div', {class: 'chart-box'}, canvas),
    h('details', {class: 'chart-table'},
      h('summary', {}, t('Show the numbers')),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, ''), h('th', {scope: 'col'}, unit))),
        h('tbody', {}, points.map((p) =>
          h('tr', {}, h('th', {scope: 'row'}, p.label), h('td', {}, formatNumber(p.value))))))));
  // Drawn once the canvas is in the page (Chart.js measures its box) and the library is here.
  loadChartLibrary().then(() => draw(canvas, {unit, points, horizontal}), () => {});
  return figure;
}

// The chart library, loaded once, on first use (its 200 KB are not part of Home).
let library = null;
export function loadChartLibrary() {
  if (window.Chart) return Promise.resolve();
  library ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/chart.umd.min.js';
    script.onload = resolve;
    script.onerror = () => {
      library = null;
      reject(new Error(t('the chart library could not be loaded')));
    };
    document.head.append(script);
  });
  return library;
}

function draw(canvas, {unit, points, horizontal}) {
  if (!window.Chart || !canvas.isConnected) return;
  live.get(canvas.id)?.destroy();
  const c = colours();
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const chart = new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: points.map((p) => p.label),
      datasets: [{
        label: unit,
        data: points.map((p) => p.value),
        backgroundColor: points.map((p) => (p.highlight ? c.alt : c.bar)),
        borderRadius: 4,
      }],
    },
    options: {
      locale: currentLanguage(),
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : {duration: 300},
      plugins: {legend: {display: false}, tooltip: {enabled: true}},
      scales: {
        x: {ticks: {color: c.text, precision: 0}, grid: {color: c.grid}},
        y: {ticks: {color: c.text, precision: 0}, grid: {color: c.grid}, beginAtZero: true},
      },
    },
  });
  live.set(canvas.id, chart);
  onLeave(destroyCharts);
}
