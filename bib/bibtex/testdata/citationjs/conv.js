// usage: node conv.js FROMFILE toFormat  (toFormat: bibtex|biblatex|ris|data)
const { Cite, plugins } = require('@citation-js/core')
require('@citation-js/plugin-bibtex'); require('@citation-js/plugin-ris'); require('@citation-js/plugin-csl')
const fs = require('fs')
const input = fs.readFileSync(process.argv[2], 'utf8')
const cite = new Cite(input)
const to = process.argv[3]
if (to === 'data') process.stdout.write(JSON.stringify(cite.data, null, 1))
else process.stdout.write(cite.format(to, { format: 'text' }))
