// Prints the workflow command GitHub's own toolkit writes for an annotation: node annotate.js error|warning|notice TITLE MESSAGE
const core = require('@actions/core');
const [kind, title, message] = process.argv.slice(2);
core[kind](message, { title });
