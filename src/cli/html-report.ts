import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunSummary } from '../core/batch/summary';

const require = createRequire(import.meta.url);

/** Chart.js's UMD build, inlined so the report works offline from a single file. */
function chartJsSource(): string {
  const main = require.resolve('chart.js');
  const umd = join(dirname(main), 'chart.umd.min.js');
  return readFileSync(umd, 'utf8').replaceAll('</script', '<\\/script');
}

const esc = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

/** A self-contained HTML report of a run: tables, and charts drawn by Chart.js. */
export function htmlReport(summary: RunSummary): string {
  const rows = summary.stages
    .map(
      (s) =>
        `<tr><td>${esc(s.stage)}</td><td>${esc(s.model)}</td><td>${s.items}</td><td>${s.requests}</td>` +
        `<td>${s.promptTokens}</td><td>${s.completionTokens}</td><td>${(s.wallMs / 1000).toFixed(1)}</td>` +
        `<td>${s.latencyMs.p50.toFixed(0)}</td><td>${s.latencyMs.p95.toFixed(0)}</td></tr>`,
    )
    .join('\n');
  const ex = summary.ex;
  const exTable = ex
    ? `<table><tr><th></th><th>before</th><th>after</th></tr>` +
      [
        ['all', ex.before, ex.after] as const,
        ...Object.keys(ex.before.byDifficulty ?? {}).map(
          (k) =>
            [
              k,
              ex.before.byDifficulty![k]!,
              ex.after.byDifficulty?.[k] ?? ex.before.byDifficulty![k]!,
            ] as const,
        ),
      ]
        .map(
          ([name, b, a]) =>
            `<tr><td>${esc(name)}</td><td>${b.ex.toFixed(2)} % (${b.correct}/${b.total})</td><td>${a.ex.toFixed(2)} % (${a.correct}/${a.total})</td></tr>`,
        )
        .join('') +
      '</table>'
    : `<p>${esc(summary.exNote ?? 'Execution accuracy was not computed.')}</p>`;
  const data = JSON.stringify(summary).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SHARE run report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; max-width: 70rem; }
table { border-collapse: collapse; margin: 1rem 0; }
td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1.5rem; }
</style>
</head>
<body>
<h1>SHARE run report</h1>
<p>${summary.items} items · preset ${esc(summary.preset)} · ${summary.tokens.total} tokens${
    summary.cost ? ` · cost ${summary.cost.usd.toFixed(4)} USD` : ''
  }</p>
<h2>Execution accuracy</h2>
${exTable}
<h2>Stages</h2>
<table>
<tr><th>stage</th><th>model</th><th>items</th><th>requests</th><th>prompt tokens</th><th>completion tokens</th><th>wall s</th><th>p50 ms</th><th>p95 ms</th></tr>
${rows}
</table>
<div class="charts">
<div><canvas id="ex"></canvas></div>
<div><canvas id="tokens"></canvas></div>
<div><canvas id="latency"></canvas></div>
</div>
<script>${chartJsSource()}</script>
<script>
const summary = ${data};
const stages = summary.stages.map((s) => s.stage);
if (summary.ex) {
  const keys = ['all', ...Object.keys(summary.ex.before.byDifficulty || {})];
  const pick = (t, k) => (k === 'all' ? t.ex : (t.byDifficulty?.[k]?.ex ?? 0));
  new Chart(document.getElementById('ex'), {
    type: 'bar',
    data: { labels: keys, datasets: [
      { label: 'before SHARE', data: keys.map((k) => pick(summary.ex.before, k)) },
      { label: 'after SHARE', data: keys.map((k) => pick(summary.ex.after, k)) },
    ] },
    options: { animation: false, plugins: { title: { display: true, text: 'Execution accuracy (%)' } } },
  });
}
new Chart(document.getElementById('tokens'), {
  type: 'bar',
  data: { labels: stages, datasets: [
    { label: 'prompt', data: summary.stages.map((s) => s.promptTokens) },
    { label: 'completion', data: summary.stages.map((s) => s.completionTokens) },
  ] },
  options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true } },
    plugins: { title: { display: true, text: 'Tokens per stage' } } },
});
new Chart(document.getElementById('latency'), {
  type: 'bar',
  data: { labels: stages, datasets: [
    { label: 'p50 ms', data: summary.stages.map((s) => s.latencyMs.p50) },
    { label: 'p95 ms', data: summary.stages.map((s) => s.latencyMs.p95) },
  ] },
  options: { animation: false, plugins: { title: { display: true, text: 'Latency per request' } } },
});
</script>
</body>
</html>
`;
}
