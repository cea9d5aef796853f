// Writes a CSL-JSON file in one format with citation-js's own writer.
// usage: node write.js bibtex|biblatex|ris FILE
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')
const fs = require('fs')

const formats = { bibtex: 'bibtex', biblatex: 'biblatex', ris: 'ris' }
const [format, file] = process.argv.slice(2)
if (!formats[format]) {
  console.error('write.js: unknown format ' + format)
  process.exit(2)
}
const cite = new Cite(JSON.parse(fs.readFileSync(file, 'utf8')), { forceType: '@csl/list+object' })
process.stdout.write(cite.format(formats[format], { format: 'text' }))
