// Writes the citeproc-js reference citations of the seed publication.
// Usage: npm install citeproc@2.4.63 && node citeproc-golden.js SHARED_CSL_DIR OUT_DIR
const CSL = require('citeproc'); const fs = require('fs'); const path = require('path');
const [cslDir, outDir] = process.argv.slice(2);
const item = JSON.parse(fs.readFileSync(path.join(outDir, 'seed.csl.json'), 'utf8'));
item.id = 'seed';
const styles = {mla: 'modern-language-association', apa: 'apa', chicago: 'chicago-notes-bibliography'};
for (const [short, id] of Object.entries(styles)) {
  for (const fmt of ['text', 'html']) {
    const sys = {
      retrieveLocale: l => fs.readFileSync(path.join(cslDir, 'locales', 'locales-' + (l === 'en' ? 'en-US' : l) + '.xml'), 'utf8'),
      retrieveItem: () => item,
    };
    const e = new CSL.Engine(sys, fs.readFileSync(path.join(cslDir, 'styles', id + '.csl'), 'utf8'), 'en-US');
    e.setOutputFormat(fmt);
    e.updateItems(['seed']);
    let out = e.makeBibliography()[1][0].trim();
    if (fmt === 'html') out = out.replace(/^<div class="csl-entry">/, '').replace(/<\/div>$/, '');
    fs.writeFileSync(path.join(outDir, 'cite-' + short + '.' + (fmt === 'html' ? 'html' : 'txt')), out + '\n');
  }
}
