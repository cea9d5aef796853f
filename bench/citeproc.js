// Formats CSL-JSON items with citeproc-js the way `imprint cite` does, so
// that the two can be timed and compared on the same input:
//
//   node citeproc.js REFS.json STYLE.csl LOCALE.xml bibliography|citation
//
// Bibliography mode prints one text entry per line, in the style's order;
// citation mode prints one citation per item, in input order, each item
// cited alone as a first cite. All items are registered before anything is
// rendered, so numbering and disambiguation consider the whole file. The
// locale given is forced for every item, whatever the style's default.
'use strict';
const fs = require('fs');
const CSL = require('citeproc');

const [refsFile, styleFile, localeFile, mode] = process.argv.slice(2);
if (!refsFile || !styleFile || !localeFile || !['bibliography', 'citation'].includes(mode)) {
  process.stderr.write('usage: node citeproc.js REFS.json STYLE.csl LOCALE.xml bibliography|citation\n');
  process.exit(2);
}
const items = JSON.parse(fs.readFileSync(refsFile, 'utf8'));
const style = fs.readFileSync(styleFile, 'utf8');
const localeXML = fs.readFileSync(localeFile, 'utf8');
const lang = (localeXML.match(/xml:lang="([^"]+)"/) || [])[1] || 'en-US';
const byId = new Map(items.map(it => [String(it.id), it]));
const ids = items.map(it => String(it.id));
const sys = {
  retrieveItem: id => byId.get(String(id)),
  retrieveLocale: l => (l === lang ? localeXML : undefined),
};
const engine = new CSL.Engine(sys, style, lang, true);
engine.setOutputFormat('text');
engine.updateItems(ids);
const line = s => s.replace(/\n+$/, '').replace(/\n/g, ' ');
const out = [];
if (mode === 'bibliography') {
  const [, entries] = engine.makeBibliography();
  for (const e of entries) out.push(line(e));
} else {
  for (const id of ids) out.push(line(engine.makeCitationCluster([{ id }])));
}
process.stdout.write(out.join('\n') + '\n');
