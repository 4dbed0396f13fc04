#!/usr/bin/env bash
# Magpie against redis-server, side by side: throughput and latency with redis-benchmark, then
# memory per key. Prints a Markdown table. Not part of the test suite.
#
#   bench/run.sh                      # defaults, a few minutes
#   IO_THREADS=2 bench/run.sh         # Magpie with separate I/O threads
#   N=500000 ROUNDS=5 bench/run.sh    # longer, steadier figures
#
# Settings (environment):
#   N            requests per redis-benchmark run            (default 200000)
#   ROUNDS       measured rounds; Magpie and Redis alternate (default 3)
#   CLIENTS      redis-benchmark connections                 (default 50)
#   KEYS         keys loaded for the memory figure           (default 1000000)
#   IO_THREADS   Magpie's io-threads                         (default 1)
#   JAVA_OPTS    extra JVM flags for Magpie                  (default none)
#   MAGPIE_JAR   the server jar       (default server/target/magpie-server.jar; built if missing)
set -euo pipefail

N=${N:-200000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-1000000}
IO_THREADS=${IO_THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAGPIE_JAR=${MAGPIE_JAR:-$ROOT/server/target/magpie-server.jar}

for tool in redis-server redis-cli redis-benchmark java awk; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
if [[ ! -f $MAGPIE_JAR ]]; then
    echo "bench: $MAGPIE_JAR missing, building it" >&2
    (cd "$ROOT" && mvn -q -pl server -am package -DskipTests) >&2
fi

WORK=$(mktemp -d /tmp/magpie-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

wait_ready() { # port name log
    for _ in $(seq 1 600); do
        [[ $(redis-cli -p "$1" PING 2>/dev/null) == PONG ]] && return 0
        sleep 0.1
    done
    echo "bench: $2 did not answer PING on port $1 within 60 s; its log:" >&2
    tail -20 "$3" >&2
    exit 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
MAGPIE_PORT=$(free_port)
while [[ $MAGPIE_PORT == "$REDIS_PORT" ]]; do MAGPIE_PORT=$(free_port); done
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java $JAVA_OPTS -jar "$MAGPIE_JAR" --port "$MAGPIE_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$WORK" --io-threads "$IO_THREADS" --loglevel warning >"$WORK/magpie.log" 2>&1 &
MAGPIE_PID=$!
PIDS+=("$MAGPIE_PID")
wait_ready "$REDIS_PORT" redis-server "$WORK/redis.log"
wait_ready "$MAGPIE_PORT" Magpie "$WORK/magpie.log"

# ---- memory: RSS growth while loading KEYS keys of 16-byte names and 64-byte values ----------
# The names are those redis-benchmark uses with -r 1000000 (key:%012d), so the throughput runs
# below read keys that exist.
awk -v n="$KEYS" 'BEGIN {
    value = sprintf("%064d", 0); gsub(/0/, "v", value)
    for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$64\r\n%s\r\n", i, value
}' >"$WORK/load.resp"

bytes_per_key() { # port pid
    local before after
    before=$(rss_kb "$2")
    redis-cli -p "$1" --pipe <"$WORK/load.resp" >"$WORK/pipe.out" 2>&1 || { cat "$WORK/pipe.out" >&2; exit 1; }
    grep -q "errors: 0, replies: $KEYS" "$WORK/pipe.out" || { cat "$WORK/pipe.out" >&2; exit 1; }
    sleep 1
    after=$(rss_kb "$2")
    local size
    size=$(redis-cli -p "$1" DBSIZE)
    [[ $size == "$KEYS" ]] || { echo "bench: DBSIZE $size after loading $KEYS keys" >&2; exit 1; }
    echo $(( (after - before) * 1024 / KEYS )) "$before" "$after"
}
REDIS_MEMORY=$(bytes_per_key "$REDIS_PORT" "$REDIS_PID")
MAGPIE_MEMORY=$(bytes_per_key "$MAGPIE_PORT" "$MAGPIE_PID")
read -r REDIS_BPK REDIS_RSS0 REDIS_RSS1 <<<"$REDIS_MEMORY"
read -r MAGPIE_BPK MAGPIE_RSS0 MAGPIE_RSS1 <<<"$MAGPIE_MEMORY"

# ---- throughput and latency ---------------------------------------------------------------
RESULTS=$WORK/results.csv # server,pipeline,round,test,rps,p50,p99
bench_once() { # server port pipeline round requests
    redis-benchmark -h 127.0.0.1 -p "$2" -t set,get -c "$CLIENTS" -n "$5" -r 1000000 -d 64 -P "$3" --csv 2>/dev/null |
        awk -F, -v s="$1" -v p="$3" -v r="$4" 'NR > 1 {
            gsub(/"/, ""); print s "," p "," r "," $1 "," $2 "," $5 "," $7 }'
}
# Warm-up (JIT for Magpie, caches for both); not recorded.
for pipeline in 1 16; do
    bench_once magpie "$MAGPIE_PORT" "$pipeline" 0 $((N / 2)) >/dev/null
    bench_once redis "$REDIS_PORT" "$pipeline" 0 $((N / 2)) >/dev/null
done
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
    for pipeline in 1 16; do
        if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
        for server in $order; do
            port=$MAGPIE_PORT; [[ $server == redis ]] && port=$REDIS_PORT
            bench_once "$server" "$port" "$pipeline" "$round" "$N" >>"$RESULTS"
        done
    done
done

# ---- report -------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
value() { # server pipeline test column(5=rps,6=p50,7=p99)
    awk -F, -v s="$1" -v p="$2" -v t="$3" -v c="$4" '$1 == s && $2 == p && $4 == t { print $c }' "$RESULTS" | median
}
ratio() { # pipeline test column: median over rounds of magpie/redis
    awk -F, -v p="$1" -v t="$2" -v c="$3" '$2 == p && $4 == t { v[$1 "," $3] = $c; r[$3] = 1 }
        END { for (k in r) if (v["redis," k] > 0) print v["magpie," k] / v["redis," k] }' "$RESULTS" | median
}
fmt() { awk -v x="$1" 'BEGIN { if (x == "n/a") print x; else printf "%.2f", x }'; }

echo
echo "## Magpie vs redis-server"
echo
echo "$(nproc) cores; redis-benchmark -c $CLIENTS -n $N -r 1000000 -d 64, $ROUNDS rounds alternating servers;"
echo "Magpie io-threads=$IO_THREADS${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}; $(redis-server --version | awk '{print $1, $2, $3}')."
echo "Ratios are Magpie/Redis, the median of per-round ratios (throughput: higher is better; latency: lower is better)."
echo
echo "| workload | Redis rps | Magpie rps | rps ratio | Redis p50 ms | Magpie p50 ms | p50 ratio | Redis p99 ms | Magpie p99 ms | p99 ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for pipeline in 1 16; do
    for test in SET GET; do
        row="| $test -P $pipeline"
        for column in 5 6 7; do
            row+=" | $(fmt "$(value redis "$pipeline" "$test" "$column")") | $(fmt "$(value magpie "$pipeline" "$test" "$column")")"
            row+=" | $(fmt "$(ratio "$pipeline" "$test" "$column")")"
        done
        echo "$row |"
    done
done
echo
echo "| memory ($KEYS keys, 16-byte names, 64-byte values) | Redis | Magpie | ratio |"
echo "|---|---:|---:|---:|"
echo "| bytes per key (VmRSS growth) | $REDIS_BPK | $MAGPIE_BPK | $(fmt "$(awk -v a="$MAGPIE_BPK" -v b="$REDIS_BPK" 'BEGIN { print (b > 0 ? a / b : "n/a") }')") |"
echo "| VmRSS before / after load (MB) | $((REDIS_RSS0 / 1024)) / $((REDIS_RSS1 / 1024)) | $((MAGPIE_RSS0 / 1024)) / $((MAGPIE_RSS1 / 1024)) | |"
