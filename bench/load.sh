#!/usr/bin/env bash
# Load test of the public site: wrk against the seed publication page, a
# topic page and a search, served by `imprint serve` on SQLite and on
# PostgreSQL, with nginx serving the same seed page HTML as a static file
# as the reference; side by side in one run. See bench/README.md.
#
#   bench/load.sh                       demo content only, both backends
#   bench/load.sh --count 10000         plus 10,000 generated publications
#   bench/load.sh --backends sqlite --duration 10s
#   bench/load.sh --minutes 10          then sample the app server's memory under load for 10 minutes
set -euo pipefail
cd "$(dirname "$0")/.."

count=0
backends="sqlite postgres"
duration=20s
connections=64
threads=2
minutes=0
pg_url=${IMPRINT_BENCH_POSTGRES:-${IMPRINT_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}}
query=nuclear

usage() {
	sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
	cat <<EOF
Flags:
  --count N          generate N publications (imprint demo generate) besides the demo content (default 0)
  --backends LIST    "sqlite postgres" (default), or one of them
  --duration D       wrk duration per target (default $duration)
  --connections C    wrk connections (default $connections)
  --threads T        wrk threads (default $threads)
  --minutes M        after the runs, load the app server for M minutes and sample its RSS (default 0: skip)
  --postgres URL     PostgreSQL server (default \$IMPRINT_BENCH_POSTGRES, \$IMPRINT_TEST_POSTGRES, else local);
                     the data go to a schema of its own, imprint_bench_N, recreated each run
  --query Q          search query (default $query)
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--count) count=$2; shift 2 ;;
	--backends) backends=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--connections) connections=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--minutes) minutes=$2; shift 2 ;;
	--postgres) pg_url=$2; shift 2 ;;
	--query) query=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench/load.sh: unknown flag $1" >&2; usage >&2; exit 2 ;;
	esac
done
case $count in ''|*[!0-9]*) echo "bench/load.sh: --count $count: want a whole number" >&2; exit 2 ;; esac
case $minutes in ''|*[!0-9]*) echo "bench/load.sh: --minutes $minutes: want a whole number" >&2; exit 2 ;; esac
for b in $backends; do
	case $b in sqlite|postgres) ;; *) echo "bench/load.sh: --backends: unknown backend $b (want sqlite, postgres)" >&2; exit 2 ;; esac
done

# wrk and nginx from the distribution when missing (Debian/Ubuntu).
missing=
command -v wrk >/dev/null || missing="$missing wrk"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v curl >/dev/null || missing="$missing curl"
case " $backends " in *" postgres "*) command -v psql >/dev/null || missing="$missing postgresql-client" ;; esac
if [ -n "$missing" ]; then
	echo "installing$missing" >&2
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

out=bench/out/load
mkdir -p "$out"
go build -o bench/out/imprint ./cmd/imprint
imprint=bench/out/imprint
seed=north-korea-in-japans-strategic-thinking

# nginx serves the seed page as the app server rendered it, from a
# directory nginx's workers may read whatever user they run as.
www=$(mktemp -d /tmp/imprint-load-nginx.XXXXXX)
chmod 755 "$www"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -f "$www/nginx.pid" ]; then kill "$(cat "$www/nginx.pid")" 2>/dev/null || true; fi
	rm -rf "$www"
}
trap cleanup EXIT

# A wrk script that prints one parseable line: requests, req/s, latency
# p50/p95/p99 in ms, errors (socket errors and non-2xx/3xx responses).
cat >"$out/report.lua" <<'EOF'
done = function(summary, latency, requests)
	local e = summary.errors
	local errors = e.connect + e.read + e.write + e.timeout + e.status
	io.write(string.format("RESULT %d %.1f %.2f %.2f %.2f %d\n", summary.requests,
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
EOF

results="$out/results.txt"
: >"$results"
rm -f "$out/memory.txt"

# run LABEL URL: wrk against URL; appends "LABEL req/s p50 p95 p99 errors requests".
run() {
	local label=$1 url=$2 line
	echo "wrk -c $connections -t $threads -d $duration $url" >&2
	line=$(wrk -c "$connections" -t "$threads" -d "$duration" -s "$out/report.lua" "$url" | grep '^RESULT') ||
		{ echo "bench/load.sh: wrk against $url failed" >&2; exit 1; }
	set -- $line
	echo "$label $3 $4 $5 $6 $7 $2" >>"$results"
}

# wait_up URL: wait until the server answers (at most two minutes: the
# demo content and migrations come first).
wait_up() {
	for _ in $(seq 600); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "bench/load.sh: $1 did not answer; see $out/*.log" >&2
	exit 1
}

port=18180
server_pid=
start_server() { # start_server BACKEND: serve it in the background, set server_pid and base
	local backend=$1 db
	port=$((port + 1))
	base=http://127.0.0.1:$port
	case $backend in
	sqlite)
		# Made afresh each run, so that both backends hold the same
		# records whatever an earlier run or version left behind.
		db=$out/sqlite-$count/imprint.db
		rm -rf "$(dirname "$db")"
		mkdir -p "$(dirname "$db")"
		if [ "$count" -gt 0 ]; then
			"$imprint" demo generate --quiet --count "$count" --database "$db" >&2
		fi
		;;
	postgres)
		local schema=imprint_bench_$count
		psql "$pg_url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" >&2
		case $pg_url in *\?*) db="$pg_url&search_path=$schema" ;; *) db="$pg_url?search_path=$schema" ;; esac
		if [ "$count" -gt 0 ]; then
			"$imprint" demo generate --quiet --count "$count" --database "$db" >&2
		fi
		;;
	esac
	"$imprint" serve --demo --addr "127.0.0.1:$port" --database "$db" 2>"$out/$backend-$count.log" &
	server_pid=$!
	pids+=("$server_pid")
	wait_up "$base/healthz"
}

stop_server() {
	kill "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
}

mkdir -p "$www/html/publications" "$www/logs"
nginx_port=18179
cat >"$www/nginx.conf" <<EOF
worker_processes auto;
pid $www/nginx.pid;
error_log $www/logs/error.log;
events { worker_connections 1024; }
http {
	access_log $www/logs/access.log;
	sendfile on;
	server {
		listen 127.0.0.1:$nginx_port;
		root $www/html;
		default_type text/html;
	}
}
EOF

topic=
nginx_started=
for backend in $backends; do
	start_server "$backend"
	curl -fsS -o "$out/seed.$backend.html" "$base/publications/$seed"
	if [ -z "$nginx_started" ]; then
		cp "$out/seed.$backend.html" "$www/html/publications/$seed"
		chmod -R a+rX "$www/html"
		"$nginx" -p "$www" -c "$www/nginx.conf"
		nginx_started=1
		wait_up "http://127.0.0.1:$nginx_port/publications/$seed"
	fi
	# nginx is measured again beside each backend: on a shared machine the
	# load of the moment moves both alike.
	run "$backend:nginx" "http://127.0.0.1:$nginx_port/publications/$seed"
	# The seed publication's first topic.
	topic=$(grep -o 'href="/topics/[a-z0-9-]*"' "$out/seed.$backend.html" | head -1 | sed 's/.*topics\/\([^"]*\)"/\1/')
	[ -n "$topic" ] || { echo "bench/load.sh: no topic link on the seed page" >&2; exit 1; }
	run "$backend:seed" "$base/publications/$seed"
	run "$backend:topic" "$base/topics/$topic"
	run "$backend:search" "$base/search?q=$query"
	if [ "$minutes" -gt 0 ]; then
		# Memory over a long run: the three pages in turn, RSS every 10 s.
		cat >"$out/mix.lua" <<EOF
local paths = {"/publications/$seed", "/topics/$topic", "/search?q=$query"}
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF
		rss="$out/rss.$backend-$count.txt"
		: >"$rss"
		wrk -c "$connections" -t "$threads" -d "${minutes}m" -s "$out/mix.lua" "$base" >"$out/mix.$backend.txt" &
		wrk_pid=$!
		pids+=("$wrk_pid")
		while kill -0 "$wrk_pid" 2>/dev/null; do
			awk -v t="$(date +%s)" '/^VmRSS/ {print t, $2}' "/proc/$server_pid/status" >>"$rss" || true
			sleep 10
		done
		wait "$wrk_pid" || true
		awk -v label="$backend" 'NR == 1 { first = $2; min = $2 } { if ($2 < min) min = $2; if ($2 > max) max = $2; last = $2 }
			END { printf "%s RSS under load for %s min: first %.0f MiB, min %.0f, max %.0f, last %.0f (%d samples)\n",
				label, m, first / 1024, min / 1024, max / 1024, last / 1024, NR }' m="$minutes" "$rss" >>"$out/memory.txt"
	fi
	stop_server
done

echo
printf 'publications: demo content + %s generated; wrk -c %s -t %s -d %s on loopback; %s CPUs\n' "$count" "$connections" "$threads" "$duration" "$(nproc)"
printf '%-16s %10s %9s %9s %9s %7s %9s\n' target req/s p50_ms p95_ms p99_ms errors vs_nginx
while read -r label rps p50 p95 p99 errors _; do
	nginx_rps=$(awk -v b="${label%%:*}:nginx" '$1 == b {print $2}' "$results")
	ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
	printf '%-16s %10s %9s %9s %9s %7s %9s\n' "$label" "$rps" "$p50" "$p95" "$p99" "$errors" "$ratio"
done <"$results"
if [ -f "$out/memory.txt" ]; then cat "$out/memory.txt"; fi
