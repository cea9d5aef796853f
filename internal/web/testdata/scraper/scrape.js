// Reads the HTML file named by the first argument with html-metadata and
// writes everything it extracts as JSON to standard output.
'use strict';

const fs = require('fs');
const metadata = require('html-metadata');

metadata.loadFromString(fs.readFileSync(process.argv[2], 'utf8'))
	.then((m) => process.stdout.write(JSON.stringify(m)))
	.catch((err) => {
		process.stderr.write(String(err && err.stack || err) + '\n');
		process.exit(1);
	});
