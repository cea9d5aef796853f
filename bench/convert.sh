#!/usr/bin/env bash
# Whole-process time of BibTeX → CSL-JSON: pandoc against imprint convert, on
# the real .bib files kept as test fixtures, side by side in one run.
# Needs pandoc (Debian: apt-get install pandoc) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pandoc >/dev/null || { echo "bench/convert.sh: pandoc is not installed" >&2; exit 1; }
mkdir -p bench/out
go build -o bench/out/imprint ./cmd/imprint
bib=bench/out/all.bib
for f in bib/bibtex/testdata/pandoc/*.bib.gz; do zcat "$f"; echo; done > "$bib"
entries=$(grep -c '^@' "$bib" || true)
runs=${RUNS:-3}
best() { # best wall time in seconds of $runs runs of "$@"
	local b=
	for _ in $(seq "$runs"); do
		local t
		/usr/bin/time -f %e -o bench/out/time.txt "$@" >/dev/null 2>bench/out/stderr.txt || { echo "bench/convert.sh: $1 failed:" >&2; cat bench/out/stderr.txt >&2; exit 1; }
		t=$(tail -1 bench/out/time.txt)
		if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
	done
	echo "$b"
}
p=$(best pandoc -f biblatex -t csljson "$bib")
i=$(best bench/out/imprint convert --skip-invalid --from biblatex --to csljson "$bib")
printf '%s entries, %s bytes\n' "$entries" "$(wc -c <"$bib")"
printf 'pandoc %ss   imprint %ss   imprint is %sx faster\n' "$p" "$i" "$(awk "BEGIN{printf \"%.1f\", $p/($i>0?$i:0.01)}")"
