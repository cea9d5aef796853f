// Reads one file with citation-js and prints its items as CSL-JSON.
// usage: node read.js bibtex|biblatex|ris|csljson FILE
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')
const fs = require('fs')

// Each format is named rather than detected, so that a file citation-js
// cannot take as that format fails instead of being read as another.
const types = { bibtex: '@bibtex/text', biblatex: '@biblatex/text', ris: '@ris/file', csljson: '@csl/list+object' }
const [format, file] = process.argv.slice(2)
if (!types[format]) {
  console.error('read.js: unknown format ' + format)
  process.exit(2)
}
let input = fs.readFileSync(file, 'utf8')
if (format === 'csljson') input = JSON.parse(input)
const cite = new Cite(input, { forceType: types[format] })
process.stdout.write(JSON.stringify(cite.data.map(({ _graph, ...item }) => item), null, 1))
