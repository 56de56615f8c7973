// Draws each statistics chart with Chart.js (served from this server, no CDN) from its canvas's data-chart.
// The same numbers are in the table beside each chart.
document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
  const spec = JSON.parse(canvas.getAttribute("data-chart"));
  // Long labels (programme titles, questions) read better on horizontal bars, cut short: the table has them whole.
  const horizontal = spec.type === "bar" && spec.labels.some((label) => label.length > 20);
  const labels = spec.labels.map((label) => (label.length > 32 ? `${label.slice(0, 31)}…` : label));
  const palette = ["#1d4ed8", "#b45309", "#047857", "#9d174d", "#4338ca", "#0f766e", "#a16207", "#6b21a8"];
  const chart = new window.Chart(canvas, {
    type: spec.type,
    data: {
      labels,
      datasets: [
        {
          label: spec.title,
          data: spec.values,
          backgroundColor:
            spec.type === "line" ? "#1d4ed8" : spec.labels.map((_, i) => palette[i % palette.length]),
          borderColor: "#1d4ed8",
        },
      ],
    },
    options: {
      animation: false,
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: spec.type === "doughnut" } },
      scales:
        spec.type === "doughnut"
          ? {}
          : { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  canvas.setAttribute("data-drawn", String(chart.data.datasets[0].data.length));
});
