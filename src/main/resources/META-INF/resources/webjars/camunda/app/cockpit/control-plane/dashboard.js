/*
 * AI Employee Control Plane: the operations guide's four boards and the agent ledger on Cockpit's dashboard (plugin
 * point cockpit.dashboard). Reads the control plane's own API with the Cockpit session; KPIs that miss their target are red.
 */
const STYLE = `
.cp-boards { font-size: 13px; }
.cp-boards h3 { margin: 12px 0 6px; }
.cp-boards table { border-collapse: collapse; margin-bottom: 8px; }
.cp-boards td, .cp-boards th { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
.cp-boards .cp-miss { color: #b5152b; font-weight: bold; }
.cp-boards .cp-met { color: #1a7f37; font-weight: bold; }
.cp-boards .cp-grid { display: flex; flex-wrap: wrap; gap: 24px; }
.cp-boards .cp-bar { fill: #3c85b5; }
`;

function esc(value) {
  return String(value === null || value === undefined ? '—' : value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function num(value, digits = 1) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
}

async function get(path, api) {
  const response = await fetch(path, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-XSRF-TOKEN': api && api.CSRFToken ? api.CSRFToken : '' }
  });
  if (!response.ok) {
    throw new Error(path + ' answered ' + response.status);
  }
  return response.json();
}

function kpiTable(report) {
  const rows = report.kpis.map(k => `<tr>
      <td>${esc(k.name)}</td>
      <td class="${k.met === false ? 'cp-miss' : k.met ? 'cp-met' : ''}">${num(k.value, 2)} ${esc(k.unit)}</td>
      <td>${esc(k.comparator)} ${num(k.target, 0)} ${esc(k.unit)}</td>
      <td>${k.met === null ? 'no data' : k.met ? 'met' : 'missed'}</td>
      <td>${esc(k.numerator)} / ${esc(k.denominator)}</td></tr>`).join('');
  return `<h3>KPIs (last 7 days)</h3><table><tr><th>KPI</th><th>value</th><th>target</th><th></th><th>counts</th></tr>${rows}</table>`;
}

// GET /api/stages/rollup answers {from, to, items}: entered = started in the window, P95 and success over visits that
// left in it, now = open visits whatever their start
function rollupChart(rollup) {
  const rows = rollup.items;
  const max = Math.max(1, ...rows.map(r => r.missionsEntered || 0));
  const bars = rows.map((r, i) => {
    const width = Math.round(200 * (r.missionsEntered || 0) / max);
    return `<text x="0" y="${i * 22 + 14}">${esc(r.stageV3)}</text>
      <rect class="cp-bar" x="130" y="${i * 22 + 3}" width="${width}" height="14"></rect>
      <text x="${136 + width}" y="${i * 22 + 14}">${esc(r.missionsEntered)} entered, ${esc(r.inStageNow)} now,
        P95 ${num(r.dwellP95Seconds / 3600, 2)} h, success ${r.successRate === null ? '—' : num(100 * r.successRate, 0) + ' %'}</text>`;
  }).join('');
  return `<h3>Stage rollup (${esc(String(rollup.from).slice(0, 10))} – ${esc(String(rollup.to).slice(0, 10))})</h3><svg width="620" height="${rows.length * 22 + 6}">${bars}</svg>`;
}

function safeguards(board) {
  const codes = board.alertsByCode.map(c => `<tr><td>${esc(c.safeguard)}</td><td>${esc(c.code)}</td><td>${esc(c.alerts)}</td></tr>`).join('');
  const reasons = board.overrideReasons.slice(0, 5).map(r => `<tr><td>${esc(r.decision)}</td><td>${esc(r.comment)}</td><td>${esc(r.decidedBy)}</td></tr>`).join('');
  return `<div><h3>Safeguard compliance</h3>
    <p>${esc(board.alerts)} validator alerts; auto-fix adoption ${num(board.autoFixAdoption.percent)} %
      (${esc(board.autoFixAdoption.autoFixed)} of ${esc(board.autoFixAdoption.flagged)})</p>
    <table><tr><th>safeguard</th><th>finding</th><th>alerts</th></tr>${codes}</table>
    <table><tr><th>override</th><th>reason</th><th>by</th></tr>${reasons}</table></div>`;
}

function undo(board) {
  return `<div><h3>Undo readiness</h3>
    <p>Undo coverage <span class="${board.undoCoverage.percent !== null && board.undoCoverage.percent < 100 ? 'cp-miss' : ''}">
      ${num(board.undoCoverage.percent)} %</span> (${esc(board.undoCoverage.withUndoPlan)} of ${esc(board.undoCoverage.executedMutating)}
      mutating plays)</p>
    <p>${esc(board.playsExecuted)} plays executed · ${esc(board.undoRunsCompleted)} undone ·
      ${esc(board.undoFailures)} undo failures · ${esc(board.missionsRolledBack)} missions rolled back</p></div>`;
}

function feedback(board) {
  return `<div><h3>Feedback insights</h3>
    <p>${esc(board.feedbackCount)} feedback · average rating ${num(board.averageRating)} ·
      ${num(board.effortSavedHoursTotal)} h saved · ${esc(board.libraryContributions)} library contributions ·
      ${esc(board.missionsReusingAssets)} missions reusing assets</p></div>`;
}

// Open incidents with their mission and a link to the runbook instance that handles each (Cockpit's own incident
// view only shows failed jobs; a safeguard violation is a business incident of the control plane).
function openIncidents(report) {
  if (!report) {
    return '';
  }
  const rows = report.items.map(i => `<tr>
      <td class="cp-miss">${esc(i.severity)}</td><td>${esc(i.kind)}</td><td>${esc(i.missionId)}</td><td>${esc(i.stage)}</td>
      <td>${esc(i.summary)}</td><td>${esc(i.openedAt)}</td>
      <td>${i.runbookInstanceId ? `<a href="#/process-instance/${encodeURIComponent(i.runbookInstanceId)}/runtime">runbook</a>` : '—'}</td></tr>`).join('');
  // a page of the list (GET /api/incidents answers {items, page, size, total}): the count is the total, not the page
  const more = report.total > report.items.length ? `<p>Newest ${report.items.length} of ${report.total} shown.</p>` : '';
  return `<h3>Open incidents (${report.total})</h3>${report.items.length === 0 ? '<p>None.</p>' :
    `<table class="cp-incidents"><tr><th>severity</th><th>kind</th><th>mission</th><th>stage</th><th>summary</th><th>opened</th><th></th></tr>${rows}</table>${more}`}`;
}

// GET /api/boards/agent-ledger answers {from, to, missions, days}: what the agents reported they used (the agent
// ledger), per mission and per UTC day against the mission's budget_cap (centsPerDay); a day over it is red
function agentLedger(board) {
  if (!board) {
    return '';
  }
  // a mission without a budget_cap has no centsPerDay (the API leaves nulls out)
  const noCap = cap => cap === null || cap === undefined;
  const budget = cap => noCap(cap) ? 'no cap' : `${esc(cap)} / day`;
  const missions = board.missions.map(m => `<tr>
      <td>${esc(m.missionId)}</td><td>${esc(m.title)}</td><td>${esc(m.runs)}</td>
      <td>${esc(m.tokensIn)} / ${esc(m.tokensOut)}</td><td>${num(m.costCents, 2)}</td><td>${budget(m.centsPerDay)}</td></tr>`).join('');
  const days = board.days.map(d => `<tr>
      <td>${esc(d.day)}</td><td>${esc(d.missionId)}</td><td>${esc(d.runs)}</td><td>${esc(d.tokensIn)} / ${esc(d.tokensOut)}</td>
      <td class="${d.overBudget ? 'cp-miss' : ''}">${num(d.costCents, 2)}</td><td>${budget(d.centsPerDay)}</td>
      <td>${d.overBudget ? 'over budget' : noCap(d.centsPerDay) ? '' : num(100 * d.costCents / d.centsPerDay, 1) + ' %'}</td></tr>`).join('');
  return `<h3>Agent ledger (${esc(board.from)} – ${esc(board.to)}, UTC)</h3>${board.missions.length === 0 ? '<p>No agent runs reported.</p>' :
    `<table class="cp-ledger-missions"><tr><th>mission</th><th>title</th><th>runs</th><th>tokens in / out</th><th>cost (cents)</th><th>budget (cents)</th></tr>${missions}</table>
    <table class="cp-ledger-days"><tr><th>day</th><th>mission</th><th>runs</th><th>tokens in / out</th><th>cost (cents)</th><th>budget (cents)</th><th>of budget</th></tr>${days}</table>`}`;
}

export default [{
  id: 'controlPlaneBoards',
  pluginPoint: 'cockpit.dashboard',
  priority: 20,
  render: (node, { api }) => {
    node.innerHTML = `<style>${STYLE}</style><section class="cp-boards"><h2>AI Employee Control Plane</h2><p>Loading…</p></section>`;
    const section = node.querySelector('.cp-boards');
    Promise.all([
      get('/api/kpis', api), get('/api/stages/rollup', api), get('/api/boards/safeguard-compliance', api),
      get('/api/boards/undo-readiness', api), get('/api/boards/feedback-insights', api),
      // incidents are optional: a user who may not read them still gets the boards
      get('/api/incidents?status=OPEN', api).catch(() => null),
      // so is the agent ledger, which names every mission (the overseers' board)
      get('/api/boards/agent-ledger', api).catch(() => null)
    ]).then(([kpis, rollup, safeguardBoard, undoBoard, feedbackBoard, incidents, ledger]) => {
      section.innerHTML = `<h2>AI Employee Control Plane</h2>${kpiTable(kpis)}${openIncidents(incidents)}${rollupChart(rollup)}
        <div class="cp-grid">${safeguards(safeguardBoard)}${undo(undoBoard)}${feedback(feedbackBoard)}</div>${agentLedger(ledger)}`;
    }).catch(error => {
      section.innerHTML = `<h2>AI Employee Control Plane</h2><p class="cp-miss">The boards could not be loaded: ${esc(error.message)}</p>`;
    });
  }
}];
