#!/usr/bin/env bash
# Runs `imprint cite` and citeproc-js (npm citeproc, on Node) over the same
# CSL-JSON file and prints, per style and mode, how many entries agree, the
# whole-process wall time and the peak resident memory of each, side by side.
#
#   bench/cite.sh                      # apa and chicago-notes-bibliography, both modes
#   STYLES=ieee MODES=citation RUNS=3 bench/cite.sh
#
# Environment: REFS (CSL-JSON array; default csl/testdata/refs/dev-refs.json),
# STYLES (ids of styles in csl/testdata/refs/styles), MODES, RUNS (runs per
# tool; the fastest wall time and its memory are kept). Outputs go to bench/out/.
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
refs=${REFS:-$root/csl/testdata/refs/dev-refs.json}
styles=${STYLES:-apa chicago-notes-bibliography}
modes=${MODES:-bibliography citation}
runs=${RUNS:-1}
out=$bench/out
mkdir -p "$out"

# GNU time reports peak memory; the shell's time keyword does not.
if [ ! -x /usr/bin/time ]; then
	echo "installing GNU time (apt)" >&2
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get install -y time >&2
fi
command -v node >/dev/null || { echo "cite.sh: node is not installed" >&2; exit 1; }
if [ ! -d "$bench/node_modules/citeproc" ]; then
	(cd "$bench" && npm ci --no-audit --no-fund >&2)
fi
(cd "$root" && go build -o "$out/imprint" ./cmd/imprint)
locale=$root/csl/testdata/refs/locales-en-US.xml

# measure NAME CMD... runs CMD RUNS times with stdout in out/NAME.txt and
# sets wall (seconds) and rss (MB) from the fastest run.
measure() {
	local name=$1
	shift
	wall="" rss=""
	for ((i = 0; i < runs; i++)); do
		if ! /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.txt" 2>"$out/$name.err"; then
			echo "cite.sh: $name failed:" >&2
			cat "$out/$name.err" >&2
			exit 1
		fi
		local w r
		w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$out/$name.time")
		r=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$out/$name.time")
		if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN {exit !(a < b)}'; then
			wall=$w rss=$r
		fi
	done
}

printf '%-28s %-13s %-19s %-17s %-17s %-9s %s\n' style mode "agree" "citeproc-js" "imprint" "faster" "memory"
for style in $styles; do
	for mode in $modes; do
		measure "$style.$mode.citeproc" node "$bench/citeproc.js" "$refs" "$root/csl/testdata/refs/styles/$style.csl" "$locale" "$mode"
		cw=$wall cr=$rss
		measure "$style.$mode.imprint" "$out/imprint" cite --style "$style" --locale en-US --mode "$mode" "$refs"
		iw=$wall ir=$rss
		a="$out/$style.$mode.citeproc.txt" b="$out/$style.$mode.imprint.txt"
		if [ "$mode" = citation ]; then
			# Citations come in input order: compare line by line.
			agree=$(awk 'NR == FNR {want[FNR] = $0; n = FNR; next} want[FNR] == $0 {m++} END {print m + 0, n}' "$a" "$b")
		else
			# Entries may be ordered differently: count the entries of one
			# that the other also printed.
			agree=$(awk 'NR == FNR {want[$0]++; n++; next} want[$0] > 0 {want[$0]--; m++} END {print m + 0, n}' "$a" "$b")
		fi
		read -r m n <<<"$agree"
		printf '%-28s %-13s %-19s %-17s %-17s %-9s %s\n' "$style" "$mode" \
			"$(awk -v m="$m" -v n="$n" 'BEGIN {printf "%d/%d %.1f%%", m, n, n ? 100 * m / n : 0}')" \
			"${cw}s ${cr}MB" "${iw}s ${ir}MB" \
			"$(awk -v c="$cw" -v i="$iw" 'BEGIN {printf "%.1fx", (i > 0 ? c / i : 0)}')" \
			"$(awk -v c="$cr" -v i="$ir" 'BEGIN {printf "%.1fx less", (i > 0 ? c / i : 0)}')"
	done
done
echo "outputs in $out (STYLE.MODE.{citeproc,imprint}.txt); diff them to see disagreements" >&2
