// Renders every BPMN model under bpmn/ (and its sub-folders) to an SVG in docs/images/diagrams/, with bpmn-js's
// viewer in the system's headless Chromium: `npm run diagrams`. Nothing is downloaded; CHROMIUM overrides the binary.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const viewer = readFileSync('node_modules/bpmn-js/dist/bpmn-viewer.production.min.js', 'utf8');
const out = 'docs/images/diagrams';
mkdirSync(out, { recursive: true });

function models(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? models(path) : name.endsWith('.bpmn') ? [path] : [];
  });
}

const unescape = text => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const work = mkdtempSync(join(tmpdir(), 'diagrams-'));
for (const model of models('bpmn').sort()) {
  const xml = readFileSync(model, 'utf8');
  // the page renders the model and leaves the SVG (or the error) in a textarea for --dump-dom to print
  const page = join(work, 'render.html');
  writeFileSync(page, `<!doctype html><html><body><div id="canvas" style="width:1600px;height:900px"></div>
<textarea id="result"></textarea><script>${viewer}</script><script>
const viewer = new BpmnJS({ container: '#canvas' });
viewer.importXML(${JSON.stringify(xml)})
  .then(() => viewer.saveSVG())
  .then(({ svg }) => { document.getElementById('result').textContent = svg; document.title = 'done'; })
  .catch(e => { document.getElementById('result').textContent = 'ERROR ' + e.message; document.title = 'done'; });
</script></body></html>`);
  const dom = execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${join(work, 'profile')}`, '--virtual-time-budget=15000', '--dump-dom', `file://${page}`],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const match = dom.match(/<textarea id="result">([\s\S]*?)<\/textarea>/);
  const svg = match ? unescape(match[1]) : '';
  if (!svg.startsWith('<?xml') && !svg.startsWith('<svg')) {
    throw new Error(`${model}: ${svg.slice(0, 300) || 'no SVG rendered'}`);
  }
  const name = relative('bpmn', model).replace(/\.bpmn$/, '').replace(/[\\/]/g, '-');
  writeFileSync(join(out, `${name}.svg`), svg);
  console.log(`${model} -> ${join(out, basename(name))}.svg`);
}
