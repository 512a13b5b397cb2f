/** The HTML report's inline stylesheet and script (the report loads nothing from anywhere). */

export const REPORT_CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa;
  --input: #0969da; --display: #1b7c83; --payment: #8250df; --result: #1a7f37; --waiting: #d4a72c; --idle: #aab4be; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 20px 28px 12px; border-bottom: 1px solid var(--line); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 22px; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 8px; }
.meta, .muted { color: var(--muted); }
.totals { margin: 10px 0 6px; display: flex; gap: 8px; flex-wrap: wrap; }
.pill { border-radius: 999px; padding: 2px 12px; font-weight: 600; border: 1px solid; }
.pill.pass { color: var(--pass); } .pill.fail { color: var(--fail); } .pill.skip { color: var(--skip); }
.controls { display: flex; gap: 16px; align-items: center; margin-top: 6px; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); background: #fff; border-radius: 6px; cursor: pointer; }
main { padding: 16px 28px 40px; }
.scenario { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 10px; background: #fff; }
.scenario.failed, .scenario.invalid, .scenario.error { border-color: var(--fail); box-shadow: inset 4px 0 0 var(--fail); }
.scenario > details > summary { padding: 10px 14px; cursor: pointer; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; list-style: none; }
.scenario > details > summary::-webkit-details-marker { display: none; }
.mark { font-weight: 700; font-size: 16px; width: 1.2em; display: inline-block; text-align: center; }
.scenario.passed > details > summary .mark, ol.steps li.passed .mark { color: var(--pass); }
.scenario.failed > details > summary .mark, .scenario.invalid > details > summary .mark,
.scenario.error > details > summary .mark, ol.steps li.failed .mark { color: var(--fail); }
.scenario.skipped > details > summary .mark { color: var(--skip); }
.name { font-weight: 600; }
.where, .time { color: var(--muted); font-size: 12px; }
.tag { font-size: 11px; background: #ddf4ff; color: #0550ae; border-radius: 999px; padding: 0 8px; }
.body { padding: 0 16px 16px 40px; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow: auto;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0; }
pre.failure { background: #ffebe9; border-color: #ff8182; color: #82071e; white-space: pre-wrap; overflow-wrap: anywhere; margin-bottom: 8px; }
.timeline { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px 4px; }
.lane { display: flex; align-items: center; height: 28px; }
.lane-name { width: 110px; flex: none; font-size: 12px; color: var(--muted); }
.track { position: relative; flex: 1; height: 22px; border-bottom: 1px dashed #eaeef2; }
.bar { position: absolute; top: 2px; height: 18px; min-width: 3px; border-radius: 4px; color: #fff; font-size: 11px; line-height: 18px;
  padding: 0 5px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.bar.open { border-top-right-radius: 0; border-bottom-right-radius: 0; opacity: .75; }
.screen-input { background: var(--input); } .screen-display { background: var(--display); } .screen-payment { background: var(--payment); }
.screen-result { background: var(--result); } .screen-result.failure { background: var(--fail); }
.screen-waiting { background: repeating-linear-gradient(135deg, var(--waiting) 0 8px, #e3bc4a 8px 16px); color: #3b2300; font-weight: 600; }
.screen-idle { background: var(--idle); }
.axis { height: 20px; } .axis .track { border: none; }
.tick { position: absolute; top: 2px; font-size: 10px; color: var(--muted); border-left: 1px solid var(--line); padding-left: 3px; }
table { border-collapse: collapse; font-size: 13px; }
td code { word-break: break-all; }
td, th { border-bottom: 1px solid #eaeef2; padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
.timeline-table { margin-top: 6px; font-size: 12px; } .timeline-table summary { cursor: pointer; color: var(--muted); }
ol.steps { margin: 0; padding-left: 0; list-style: none; }
ol.steps li { padding: 2px 0; display: flex; gap: 10px; }
ol.steps li.failed { color: var(--fail); font-weight: 600; }
ol.steps code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.exchange { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 6px; }
.exchange > summary { padding: 5px 10px; cursor: pointer; font-size: 13px; }
.exchange .outcome-bad { color: var(--fail); font-weight: 600; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; padding: 0 10px 10px; }
.pair pre { max-height: 420px; }
.pair h4 { margin: 6px 0 4px; font-size: 12px; color: var(--muted); }
body.only-failed .scenario.passed, body.only-failed .scenario.skipped { display: none; }
`;

export const REPORT_JS = `
document.getElementById('only-failed').addEventListener('change', function (e) {
  document.body.classList.toggle('only-failed', e.target.checked);
});
document.getElementById('expand-all').addEventListener('click', function () {
  var all = document.querySelectorAll('.scenario > details');
  var open = Array.prototype.some.call(all, function (d) { return !d.open; });
  all.forEach(function (d) { d.open = open; });
  this.textContent = open ? 'collapse all' : 'expand all';
});
`;
