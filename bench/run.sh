#!/usr/bin/env bash
# Magpie against redis-server, side by side: throughput and latency with redis-benchmark, then
# memory per key or element. Prints Markdown tables. Not part of the test suite.
#
#   bench/run.sh                                    # strings: SET/GET and memory per key (~1.5 min)
#   WORKLOADS=collections MEMORY=none bench/run.sh  # list/set/hash/zset throughput only (~2-3 min)
#   WORKLOADS=none MEMORY=collections bench/run.sh  # bytes per element of hashes/sets/zsets (~1 min)
#   WORKLOADS=all MEMORY=all ROUNDS=5 bench/run.sh  # everything (~6 min, plus the sections at the end)
#   IO_THREADS=2 bench/run.sh                       # Magpie with separate I/O threads
#   WORKLOADS=none MEMORY=none AOF=no bench/run.sh  # RDB only: save/load speed, GET p99 during BGSAVE (~4 min)
#
# Settings (environment):
#   WORKLOADS    throughput part: strings | collections | all | none        (default strings)
#   MEMORY       memory part: strings | collections | all | none            (default strings)
#   PIPELINES    redis-benchmark pipeline depths                            (default "1 16")
#   N            requests per redis-benchmark run (collections: see README)  (default 200000)
#   ROUNDS       measured rounds; Magpie and Redis alternate                (default 3)
#   CLIENTS      redis-benchmark connections                                (default 50)
#   KEYS         keys for the strings memory figure and the RDB section     (default 1000000)
#   ELEMENTS     elements per shape for the collections memory figure       (default 1000000)
#   IO_THREADS   Magpie's io-threads                                        (default 1)
#   JAVA_OPTS    JVM flags for Magpie (default -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5,
#                so a forced GC hands unused heap back to the OS; JAVA_OPTS= for the JVM's defaults)
#   MAGPIE_JAR   the server jar       (default server/target/magpie-server.jar; built if missing)
#   AOF          the append-only file section: yes | no                    (default yes)
#   AOF_ROUNDS   measured rounds of the AOF section                         (default 5)
#   RDB          the RDB snapshot section (KEYS keys; ROUNDS): yes | no     (default yes)
set -euo pipefail

WORKLOADS=${WORKLOADS:-strings}
MEMORY=${MEMORY:-strings}
PIPELINES=${PIPELINES:-1 16}
N=${N:-200000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-1000000}
ELEMENTS=${ELEMENTS:-1000000}
IO_THREADS=${IO_THREADS:-1}
RDB=${RDB:-yes}
JAVA_OPTS=${JAVA_OPTS--XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAGPIE_JAR=${MAGPIE_JAR:-$ROOT/server/target/magpie-server.jar}

part_selected() { # setting part: is "part" selected by the value "setting"?
    [[ $1 == all || $1 == "$2" ]]
}
for setting in "WORKLOADS=$WORKLOADS" "MEMORY=$MEMORY"; do
    case ${setting#*=} in
        strings | collections | all | none) ;;
        *) echo "bench: ${setting%%=*} must be strings, collections, all or none (got '${setting#*=}')" >&2; exit 2 ;;
    esac
done
[[ $RDB == yes || $RDB == no ]] || { echo "bench: RDB must be yes or no (got '$RDB')" >&2; exit 2; }

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
        # Below Linux's ephemeral range (32768+), where a client connection's local port would
        # make the bind fail even though nothing listens there.
        port=$((20000 + RANDOM % 12000))
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

# start_redis/start_magpie run in this shell (not in $(...)) so the server stays our child; they
# set STARTED_PID and register it for the cleanup.
start_redis() { # port log
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --logfile "$2" &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}
start_magpie() { # port log
    # No management plane: it listens on a fixed port, so a second Magpie (the memory part's, or
    # anyone else's on this machine) would fail to start; the bench measures the RESP server.
    mkdir -p "$WORK/magpie-$1"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
    java $JAVA_OPTS -jar "$MAGPIE_JAR" --port "$1" --bind 127.0.0.1 --save '' --appendonly no \
        --management no --dir "$WORK/magpie-$1" --io-threads "$IO_THREADS" --loglevel warning >"$2" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}
stop_server() { # pid
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'; }
# The JVM's heap in use, in KB (after a GC.run: the live heap). Sums the generations for
# G1/Serial/Parallel; n/a when jcmd is missing or the collector prints another format.
heap_used_kb() { # pid
    command -v jcmd >/dev/null || { echo n/a; return; }
    { jcmd "$1" GC.heap_info 2>/dev/null || true; } | awk '/(heap|generation|Gen) +total/ {
            for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v; n++ } }
        END { if (n) print s; else print "n/a" }'
}
# Give back what the server can before a memory reading: Magpie runs a full GC (jcmd GC.run, which
# with JAVA_OPTS' free ratios also shrinks the heap); Redis asks jemalloc to purge dirty pages.
settle() { # server port pid
    if [[ $1 == magpie ]]; then
        command -v jcmd >/dev/null && jcmd "$3" GC.run >/dev/null 2>&1 || true
    else
        redis-cli -p "$2" MEMORY PURGE >/dev/null 2>&1 || true
    fi
    sleep 1
}
load_resp() { # port file expected-replies
    redis-cli -p "$1" --pipe <"$2" >"$WORK/pipe.out" 2>&1 || { cat "$WORK/pipe.out" >&2; exit 1; }
    grep -q "errors: 0, replies: $3\$" "$WORK/pipe.out" || { cat "$WORK/pipe.out" >&2; exit 1; }
}

RESULTS=$WORK/results.csv # server,pipeline,round,test,rps,p50,p99
: >"$RESULTS"
MEMORY_RESULTS=$WORK/memory.csv # shape,server,rss_after_load,rss_after_gc,used_memory,heap (bytes per element)
: >"$MEMORY_RESULTS"

# ---- the long-running pair: string memory, then all throughput runs --------------------------
if [[ $WORKLOADS != none ]] || part_selected "$MEMORY" strings; then
    REDIS_PORT=$(free_port)
    start_redis "$REDIS_PORT" "$WORK/redis.log"
    REDIS_PID=$STARTED_PID
    MAGPIE_PORT=$(free_port)
    while [[ $MAGPIE_PORT == "$REDIS_PORT" ]]; do MAGPIE_PORT=$(free_port); done
    start_magpie "$MAGPIE_PORT" "$WORK/magpie.log"
    MAGPIE_PID=$STARTED_PID
    wait_ready "$REDIS_PORT" redis-server "$WORK/redis.log"
    wait_ready "$MAGPIE_PORT" Magpie "$WORK/magpie.log"
fi

# ---- memory (strings): RSS growth while loading KEYS keys of 16-byte names and 64-byte values --
# The names are those redis-benchmark uses with -r 1000000 (key:%012d), so GET below reads keys
# that exist; so this also runs when only the strings workloads are selected.
string_keys_resp() { # n > SET commands on stdout: n keys key:%012d of 64-byte values
    awk -v n="$1" 'BEGIN {
        value = sprintf("%064d", 0); gsub(/0/, "v", value)
        for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$64\r\n%s\r\n", i, value
    }'
}
if part_selected "$WORKLOADS" strings || part_selected "$MEMORY" strings; then
    string_keys_resp "$KEYS" >"$WORK/load.resp"

    bytes_per_key() { # port pid
        local before after
        before=$(rss_kb "$2")
        load_resp "$1" "$WORK/load.resp" "$KEYS"
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
    rm -f "$WORK/load.resp"
fi

# ---- throughput and latency ---------------------------------------------------------------
# One redis-benchmark run; $6... are its test arguments (-t list, or a command). The label names
# the row (empty: keep redis-benchmark's test names); LRANGE's "LPUSH (needed ...)" fill is dropped.
bench_run() { # server port pipeline round requests label args...
    local server=$1 port=$2 pipeline=$3 round=$4 requests=$5 label=$6
    shift 6
    redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$requests" -r 1000000 -d 64 -P "$pipeline" --csv "$@" 2>/dev/null |
        awk -F, -v s="$server" -v p="$pipeline" -v r="$round" -v l="$label" 'NR > 1 && !/needed to benchmark/ {
            gsub(/"/, ""); print s "," p "," r "," (l == "" ? $1 : l) "," $2 "," $5 "," $7 }'
}
bench_once() { # server port pipeline round requests
    bench_run "$1" "$2" "$3" "$4" "$5" "" -t set,get
}

if part_selected "$WORKLOADS" strings; then
    # Warm-up (JIT for Magpie, caches for both); not recorded.
    for pipeline in $PIPELINES; do
        bench_once magpie "$MAGPIE_PORT" "$pipeline" 0 $((N / 2)) >/dev/null
        bench_once redis "$REDIS_PORT" "$pipeline" 0 $((N / 2)) >/dev/null
    done
    for round in $(seq 1 "$ROUNDS"); do
        for pipeline in $PIPELINES; do
            if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
            for server in $order; do
                port=$MAGPIE_PORT; [[ $server == redis ]] && port=$REDIS_PORT
                bench_once "$server" "$port" "$pipeline" "$round" "$N" >>"$RESULTS"
            done
        done
    done
fi

# Collections: label | share of N per run (divisor) | redis-benchmark test arguments. Keys are
# those of redis-benchmark (mylist, myset, myhash) plus myzset; LPUSH runs before RPOP with the
# same count, so RPOP never pops an empty list. Reading workloads get fewer requests (their
# replies are 100-600 elements) so each run lasts about as long as a write run.
COLLECTION_WORKLOADS=(
    "LPUSH|1|-t lpush"
    "RPOP|1|-t rpop"
    "SADD|1|-t sadd"
    "HSET|1|-t hset"
    "ZADD|1|zadd myzset __rand_int__ member:__rand_int__"
    "LRANGE_100|4|-t lrange_100"
    "LRANGE_600|16|-t lrange_600"
    "ZRANGE_100 WITHSCORES|4|zrange myzset 0 99 WITHSCORES"
)
# Pipeline 1 serves ~10x fewer requests per second than pipeline 16: half the requests keeps
# its runs at a few seconds (the figures are rates, so the counts do not change them).
collection_requests() { # pipeline divisor
    local n=$((N / $2))
    (( $1 == 1 )) && n=$((n / 2))
    echo $(( n < 1000 ? 1000 : n ))
}
collection_pass() { # round: every workload at every pipeline, servers alternating per round
    local round=$1 pipeline spec label divisor args order server port requests
    for pipeline in $PIPELINES; do
        for spec in "${COLLECTION_WORKLOADS[@]}"; do
            IFS='|' read -r label divisor args <<<"$spec"
            requests=$(collection_requests "$pipeline" "$divisor")
            (( round == 0 )) && requests=$((requests / 2))
            if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
            for server in $order; do
                port=$MAGPIE_PORT; [[ $server == redis ]] && port=$REDIS_PORT
                # shellcheck disable=SC2086 # args is a list of words
                bench_run "$server" "$port" "$pipeline" "$round" "$requests" "$label" $args
            done
        done
    done
}
if part_selected "$WORKLOADS" collections; then
    # ZRANGE reads the first 100 of a sorted set that ZADD keeps growing: seed it so it is never short.
    awk 'BEGIN { printf "*2002\r\n$4\r\nZADD\r\n$6\r\nmyzset\r\n"
        for (i = 0; i < 1000; i++) { s = sprintf("%d", i * 1000); m = sprintf("seed:%06d", i)
            printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(s), s, length(m), m } }' >"$WORK/zseed.resp"
    load_resp "$REDIS_PORT" "$WORK/zseed.resp" 1
    load_resp "$MAGPIE_PORT" "$WORK/zseed.resp" 1
    collection_pass 0 >/dev/null # warm-up, not recorded
    for round in $(seq 1 "$ROUNDS"); do
        collection_pass "$round" >>"$RESULTS"
    done
fi

# ---- memory (collections): bytes per element of four shapes, each in a fresh pair of servers --
# hash/set/zset: one key holding ELEMENTS fields/members (hashtable/skiplist encodings), loaded
# 100 per command; smallhash: ELEMENTS keys of 10 fields each (listpack: the object-cache shape).
shape_resp() { # shape n > RESP on stdout
    awk -v shape="$1" -v n="$2" -v batch=100 '
        function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
        BEGIN {
            if (shape == "smallhash") {
                for (i = 0; i < n; i++) {
                    v = bulk(sprintf("value:%010d", i)); line = "*22\r\n$4\r\nHSET\r\n" bulk(sprintf("hash:%012d", i))
                    for (f = 0; f < 10; f++) line = line bulk("field" f) v
                    printf "%s", line
                }
                exit
            }
            for (start = 0; start < n; start += batch) {
                end = start + batch > n ? n : start + batch
                if (shape == "hash") {
                    printf "*%d\r\n$4\r\nHSET\r\n$8\r\nbig:hash\r\n", 2 + 2 * (end - start)
                    for (i = start; i < end; i++) printf "%s%s", bulk(sprintf("field:%012d", i)), bulk(sprintf("value:%010d", i))
                } else if (shape == "set") {
                    printf "*%d\r\n$4\r\nSADD\r\n$7\r\nbig:set\r\n", 2 + (end - start)
                    for (i = start; i < end; i++) printf "%s", bulk(sprintf("member:%012d", i))
                } else {
                    printf "*%d\r\n$4\r\nZADD\r\n$8\r\nbig:zset\r\n", 2 + 2 * (end - start)
                    for (i = start; i < end; i++) printf "%s%s", bulk(sprintf("%d.5", i)), bulk(sprintf("member:%012d", i))
                }
            }
        }'
}
shape_size() { # shape port: the element count the server reports
    case $1 in
        hash) redis-cli -p "$2" HLEN big:hash ;;
        set) redis-cli -p "$2" SCARD big:set ;;
        zset) redis-cli -p "$2" ZCARD big:zset ;;
        smallhash) redis-cli -p "$2" DBSIZE ;;
    esac
}
shape_key() { case $1 in hash) echo big:hash ;; set) echo big:set ;; zset) echo big:zset ;; smallhash) echo hash:000000000000 ;; esac; }
measure_shape() { # shape
    local shape=$1 commands=$((ELEMENTS)) server port pid rss0 used0 heap0 rss1 rss2 used2 heap2 size encoding
    [[ $shape != smallhash ]] && commands=$(((ELEMENTS + 99) / 100))
    shape_resp "$shape" "$ELEMENTS" >"$WORK/shape.resp"
    for server in redis magpie; do
        port=$(free_port)
        if [[ $server == redis ]]; then start_redis "$port" "$WORK/shape-redis.log"; else start_magpie "$port" "$WORK/shape-magpie.log"; fi
        pid=$STARTED_PID
        wait_ready "$port" "$server" "$WORK/shape-$server.log"
        settle "$server" "$port" "$pid"
        heap0=n/a heap2=n/a
        rss0=$(rss_kb "$pid"); used0=$(used_memory "$port")
        [[ $server == magpie ]] && heap0=$(heap_used_kb "$pid")
        load_resp "$port" "$WORK/shape.resp" "$commands"
        sleep 1
        rss1=$(rss_kb "$pid")
        size=$(shape_size "$shape" "$port")
        [[ $size == "$ELEMENTS" ]] || { echo "bench: $server holds $size elements of $shape, not $ELEMENTS" >&2; exit 1; }
        encoding=$(redis-cli -p "$port" OBJECT ENCODING "$(shape_key "$shape")")
        settle "$server" "$port" "$pid"
        rss2=$(rss_kb "$pid"); used2=$(used_memory "$port")
        [[ $server == magpie ]] && heap2=$(heap_used_kb "$pid")
        awk -v sh="$shape" -v s="$server" -v n="$ELEMENTS" -v r0="$rss0" -v r1="$rss1" -v r2="$rss2" \
            -v u0="$used0" -v u2="$used2" -v h0="$heap0" -v h2="$heap2" -v e="$encoding" 'BEGIN {
                heap = (h0 == "n/a" || h2 == "n/a") ? "n/a" : (h2 - h0) * 1024 / n
                print sh "," s "," (r1 - r0) * 1024 / n "," (r2 - r0) * 1024 / n "," (u2 - u0) / n "," heap "," e }' >>"$MEMORY_RESULTS"
        stop_server "$pid"
    done
    rm -f "$WORK/shape.resp"
}
if part_selected "$MEMORY" collections; then
    for shape in hash set zset smallhash; do measure_shape "$shape"; done
fi

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
bar() { # value op limit: whether a ratio meets an issue's bar ("met", "NOT met", or n/a)
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a") print "n/a"; else print ((op == ">=" ? v >= l : v <= l) ? "met" : "NOT met") }'
}
throughput_table() { # tests...
    local pipeline test row column
    echo "| workload | Redis rps | Magpie rps | rps ratio | Redis p50 ms | Magpie p50 ms | p50 ratio | Redis p99 ms | Magpie p99 ms | p99 ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for pipeline in $PIPELINES; do
        for test in "$@"; do
            row="| $test -P $pipeline"
            for column in 5 6 7; do
                row+=" | $(fmt "$(value redis "$pipeline" "$test" "$column")") | $(fmt "$(value magpie "$pipeline" "$test" "$column")")"
                row+=" | $(fmt "$(ratio "$pipeline" "$test" "$column")")"
            done
            echo "$row |"
        done
    done
}

echo
echo "## Magpie vs redis-server"
echo
echo "$(nproc) cores; redis-benchmark -c $CLIENTS -n $N -r 1000000 -d 64, $ROUNDS rounds alternating servers;"
echo "Magpie io-threads=$IO_THREADS, JAVA_OPTS=${JAVA_OPTS:-none}; $(redis-server --version | awk '{print $1, $2, $3}')."
echo "Ratios are Magpie/Redis, the median of per-round ratios (throughput: higher is better; latency: lower is better)."
if part_selected "$WORKLOADS" strings; then
    echo
    throughput_table SET GET
fi
if part_selected "$WORKLOADS" collections; then
    echo
    echo "Collections: per run N requests at -P 16 and N/2 at -P 1; LRANGE_100 and ZRANGE a quarter of that,"
    echo "LRANGE_600 a sixteenth. ZRANGE_100 WITHSCORES is \`ZRANGE myzset 0 99 WITHSCORES\` on the set ZADD grows."
    echo
    throughput_table "${COLLECTION_WORKLOADS[@]%%|*}"
fi
if part_selected "$WORKLOADS" strings || part_selected "$MEMORY" strings; then
    echo
    echo "| memory ($KEYS keys, 16-byte names, 64-byte values) | Redis | Magpie | ratio |"
    echo "|---|---:|---:|---:|"
    echo "| bytes per key (VmRSS growth) | $REDIS_BPK | $MAGPIE_BPK | $(fmt "$(awk -v a="$MAGPIE_BPK" -v b="$REDIS_BPK" 'BEGIN { print (b > 0 ? a / b : "n/a") }')") |"
    echo "| VmRSS before / after load (MB) | $((REDIS_RSS0 / 1024)) / $((REDIS_RSS1 / 1024)) | $((MAGPIE_RSS0 / 1024)) / $((MAGPIE_RSS1 / 1024)) | |"
fi
if part_selected "$MEMORY" collections; then
    echo
    echo "Bytes per element, $ELEMENTS elements per shape, each shape in a fresh pair of servers. Baseline and"
    echo "final readings follow a settle step (Magpie: \`jcmd GC.run\`; Redis: \`MEMORY PURGE\`)."
    echo "*VmRSS after load*: resident growth 1 s after the load, before any settle (what the OS sees after a bulk load);"
    echo "*VmRSS after GC*: the same after the settle step; *used_memory*: growth of INFO's used_memory after the"
    echo "settle (Magpie: off-heap entries + Java heap in use); *live heap*: growth of the JVM heap in use after the GC"
    echo "(\`jcmd GC.heap_info\`). Ratios are Magpie/Redis (lower is better)."
    echo
    echo "| shape (encoding Redis / Magpie) | figure, bytes per element | Redis | Magpie | ratio |"
    echo "|---|---|---:|---:|---:|"
    for shape in hash set zset smallhash; do
        case $shape in
            hash) title="hash: 1 key, $ELEMENTS fields (18-byte fields, 16-byte values)" ;;
            set) title="set: 1 key, $ELEMENTS members (19 bytes)" ;;
            zset) title="sorted set: 1 key, $ELEMENTS members (19 bytes)" ;;
            smallhash) title="small hashes: $ELEMENTS keys of 10 fields (6-byte fields, 16-byte values), per key" ;;
        esac
        awk -F, -v sh="$shape" -v title="$title" '
            function f(x) { return x == "n/a" ? x : sprintf("%.0f", x) }
            function r(a, b) { return (a == "n/a" || b == "n/a" || b <= 0) ? "" : sprintf("%.2f", a / b) }
            $1 == sh { for (c = 3; c <= 7; c++) v[$2, c] = $c }
            END {
                name[3] = "VmRSS growth after load"; name[4] = "VmRSS growth after GC"
                name[5] = "used_memory growth"; name[6] = "JVM live heap growth"
                label = title " (" v["redis", 7] " / " v["magpie", 7] ")"
                for (c = 3; c <= 6; c++) {
                    printf "| %s | %s | %s | %s | %s |\n", (c == 3 ? label : ""), name[c], \
                        (c == 6 ? "-" : f(v["redis", c])), f(v["magpie", c]), (c == 6 ? "" : r(v["magpie", c], v["redis", c]))
                }
            }' "$MEMORY_RESULTS"
    done
fi

# ---- further sections append below (e.g. persistence: RDB, AOF) ------------------------------
# Available here: free_port, wait_ready, start_redis/start_magpie (set STARTED_PID), stop_server,
# rss_kb, used_memory, settle, load_resp, median, fmt; $WORK (deleted on exit); every server in
# PIDS is stopped on exit. REDIS_PORT/MAGPIE_PORT are set only when WORKLOADS != none or MEMORY
# includes strings: start your own pair for a section that needs known contents.

# ---- append-only file: throughput with appendfsync everysec against no AOF -----------------
# AOF=no skips it. Two Magpies (no AOF, everysec) and, for comparison, two Redis servers set up
# alike; writes (SET, INCR, LPUSH) and GET, one redis-benchmark run per test, servers and each
# server's two modes alternated round by round so drift hits all alike. Pipeline-16 runs get 8x
# the requests (about as long as a pipeline-1 run), so an automatic rewrite
# (auto-aof-rewrite-percentage 100, both servers' default) falls inside the run that caused it
# instead of being most of one. Each run starts when neither
# everysec server has a rewrite in progress or scheduled and the page cache holds no unwritten
# data (sync), so one run's rewrite or disk writes do not slow the next run, of any server.
# Bar (issue 5): Magpie with everysec at least 0.9x Magpie without AOF. Redis's own ratio is
# printed beside it: what the same disk and cores cost a server that does the same work.
AOF=${AOF:-yes}
# More rounds than the other sections: a run with a rewrite and one without differ by more than
# the machine's drift, and whether a rewrite lands in a run varies from round to round.
AOF_ROUNDS=${AOF_ROUNDS:-5}
if [[ $AOF == yes ]]; then
    AOF_RESULTS=$WORK/aof.csv # server-mode,pipeline,round,test,rps,p50,p99,rewrites
    : >"$AOF_RESULTS"
    declare -A AOF_PORT AOF_PID
    for server in magpie redis; do
        for mode in none everysec; do
            port=$(free_port)
            name=$server-$mode
            mkdir -p "$WORK/aof-$name"
            if [[ $mode == none ]]; then aof_flags=(--appendonly no); else aof_flags=(--appendonly yes --appendfsync everysec); fi
            if [[ $server == redis ]]; then
                redis-server --port "$port" --bind 127.0.0.1 --save '' --dir "$WORK/aof-$name" \
                    --logfile "$WORK/aof-$name.log" "${aof_flags[@]}" &
            else
                # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
                java $JAVA_OPTS -jar "$MAGPIE_JAR" --port "$port" --bind 127.0.0.1 --save '' --management no \
                    --dir "$WORK/aof-$name" --io-threads "$IO_THREADS" --loglevel warning "${aof_flags[@]}" \
                    >"$WORK/aof-$name.log" 2>&1 &
            fi
            PIDS+=("$!")
            AOF_PORT[$name]=$port
            AOF_PID[$name]=$!
            wait_ready "$port" "$name" "$WORK/aof-$name.log"
        done
    done
    aof_rewrites() { # port: rewrites done so far
        redis-cli -p "$1" INFO persistence | tr -d '\r' | awk -F: '$1 == "aof_rewrites" { print $2 }'
    }
    aof_quiet() { # ports...: waits until none has a rewrite in progress or scheduled, then for the disk
        local port
        for port in "$@"; do
            while redis-cli -p "$port" INFO persistence | tr -d '\r' |
                grep -qE '^aof_rewrite_(in_progress|scheduled):1'; do
                sleep 0.05
            done
        done
        sync
    }
    aof_requests() { (( $1 == 1 )) && echo "$N" || echo $((N * 8)); }
    for pipeline in $PIPELINES; do
        for name in magpie-none magpie-everysec redis-none redis-everysec; do
            bench_run "$name" "${AOF_PORT[$name]}" "$pipeline" 0 $(($(aof_requests "$pipeline") / 2)) "" \
                -t set,incr,lpush,get >/dev/null
        done
        for round in $(seq 1 "$AOF_ROUNDS"); do
            if (( round % 2 )); then order="magpie redis" modes="none everysec"; else order="redis magpie" modes="everysec none"; fi
            for t in set incr lpush get; do
                for server in $order; do
                    for mode in $modes; do
                        port=${AOF_PORT[$server-$mode]}
                        aof_quiet "${AOF_PORT[magpie-everysec]}" "${AOF_PORT[redis-everysec]}"
                        before=$(aof_rewrites "$port")
                        line=$(bench_run "$server-$mode" "$port" "$pipeline" "$round" "$(aof_requests "$pipeline")" "" -t "$t")
                        echo "$line,$(($(aof_rewrites "$port") - before))" >>"$AOF_RESULTS"
                    done
                done
            done
        done
    done
    # The next section starts on a quiet machine: no idle servers holding their keyspaces, no
    # gigabytes of AOF left for the page cache to write back.
    for name in "${!AOF_PID[@]}"; do stop_server "${AOF_PID[$name]}"; done
    rm -rf "$WORK"/aof-*/
    sync
    aof_rps() { # server-mode pipeline test: median rps
        awk -F, -v s="$1" -v p="$2" -v t="$3" '$1 == s && $2 == p && $4 == t { print $5 }' "$AOF_RESULTS" | median
    }
    aof_rounds() { # server pipeline test: "round ratio rewrites" per round, in round order; the ratio is
        # everysec/none, the two runs of a round being adjacent; rewrites are those the everysec run started
        awk -F, -v s="$1" -v p="$2" -v t="$3" '$2 == p && $4 == t { v[$1 "," $3] = $5; if ($1 == s "-everysec") w[$3] = $8; r[$3] = 1 }
            END { for (k in r) if (v[s "-none," k] > 0) print k, v[s "-everysec," k] / v[s "-none," k], w[k] + 0 }' "$AOF_RESULTS" |
            sort -n
    }
    aof_round_ratios() { # server pipeline test: each round's ratio
        aof_rounds "$1" "$2" "$3" | awk '{ print $2 }'
    }
    aof_ratio() { # server pipeline test: median of the per-round ratios
        fmt "$(aof_round_ratios "$1" "$2" "$3" | median)"
    }
    aof_range() { # server pipeline test: lowest-highest per-round ratio
        aof_round_ratios "$1" "$2" "$3" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%.2f-%.2f", lo, hi; else print "n/a" }'
    }
    aof_round_detail() { # server pipeline test: each round's ratio with its rewrites, in round order
        aof_rounds "$1" "$2" "$3" | awk '{ printf "%s%.2f (%d)", (NR > 1 ? ", " : ""), $2, $3 }'
    }
    aof_ratio_by_rewrites() { # server pipeline test with|without: median ratio of the rounds with or without a rewrite
        aof_rounds "$1" "$2" "$3" | awk -v want="$4" '($3 > 0) == (want == "with") { print $2 }' | median
    }
    aof_rewrite_count() { # server pipeline test: rewrites started during its everysec runs (all rounds)
        awk -F, -v s="$1-everysec" -v p="$2" -v t="$3" '$1 == s && $2 == p && $4 == t { n += $8 } END { print n + 0 }' "$AOF_RESULTS"
    }
    echo
    echo "### Append-only file (appendfsync everysec vs appendonly no, each server against itself; $AOF_ROUNDS rounds)"
    echo
    echo "Pipeline 1: $N requests per run; pipeline 16: $((N * 8)). Ratio: the median of the per-round everysec/no-AOF"
    echo "ratios (a round runs the two modes back to back), with their range. Rewrites: automatic AOF rewrites that"
    echo "started during the everysec runs (all rounds). The bar is Magpie's ratio; Redis's is the same measure of Redis."
    echo
    echo "| test | pipeline | Magpie no AOF (req/s) | Magpie everysec (req/s) | Magpie ratio (range) | bar 0.9x | Magpie rewrites | Redis ratio (range) | Redis rewrites |"
    echo "|---|---:|---:|---:|---:|---|---:|---:|---:|"
    for pipeline in $PIPELINES; do
        for t in SET INCR LPUSH GET; do
            ratio=$(aof_ratio magpie "$pipeline" "$t")
            ok=$(bar "$ratio" ">=" 0.9)
            echo "| $t | $pipeline | $(fmt "$(aof_rps magpie-none "$pipeline" "$t")") | $(fmt "$(aof_rps magpie-everysec "$pipeline" "$t")")" \
                "| $ratio ($(aof_range magpie "$pipeline" "$t")) | $ok | $(aof_rewrite_count magpie "$pipeline" "$t")" \
                "| $(aof_ratio redis "$pipeline" "$t") ($(aof_range redis "$pipeline" "$t")) | $(aof_rewrite_count redis "$pipeline" "$t") |"
        done
    done
    echo
    echo "Per round, in order: everysec/no-AOF ratio (rewrites started in the everysec run), and the median ratio of"
    echo "the rounds without a rewrite / with one, so what the appending costs shows apart from what rewrites cost."
    echo
    for pipeline in $PIPELINES; do
        for t in SET INCR LPUSH GET; do
            for server in magpie redis; do
                echo "- $t -P $pipeline, $server: $(aof_round_detail "$server" "$pipeline" "$t");" \
                    "without / with a rewrite $(fmt "$(aof_ratio_by_rewrites "$server" "$pipeline" "$t" without)")" \
                    "/ $(fmt "$(aof_ratio_by_rewrites "$server" "$pipeline" "$t" with)")"
            done
        done
    done
fi

# ---- RDB snapshots: save and load speed against Redis, GET latency during BGSAVE ------------
# RDB=no skips it. A fresh pair, each with its own dir and persistence on (no save points), holds
# KEYS string keys (key:%012d, 64-byte values, as the strings memory part). Per round, servers
# alternating: SAVE, then BGSAVE timed from the command until INFO says rdb_bgsave_in_progress:0.
# Then redis-benchmark GET over those keys (every GET a hit) per pipeline depth, once idle and
# once while BGSAVE runs back to back. Last, each server is restarted ROUNDS times on its own
# dump.rdb and on the other server's, timing the load (the server's own log line) and the whole
# start until INFO says loading:0 with DBSIZE = KEYS. Bars (issue 5): save and load keys/s at
# least Redis's; GET p99 during BGSAVE at most 2x the p99 without.
if [[ $RDB == yes ]]; then
    RDB_SPEED=$WORK/rdb-speed.csv # server,round,figure,seconds
    RDB_GET=$WORK/rdb-get.csv     # server,pipeline,round,phase(idle|bgsave),rps,p50,p99,bgsaves
    : >"$RDB_SPEED"
    : >"$RDB_GET"
    declare -A RDB_PORT RDB_PID
    now_ns() { date +%s%N; }
    seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
    persistence_field() { # port field
        redis-cli -p "$1" INFO persistence 2>/dev/null | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
    }
    start_rdb_server() { # server port dir log: persistence on in dir, no save points, notices logged
        mkdir -p "$3"
        if [[ $1 == redis ]]; then
            redis-server --port "$2" --bind 127.0.0.1 --save '' --appendonly no --dir "$3" --logfile "$4" &
        else
            # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
            java $JAVA_OPTS -jar "$MAGPIE_JAR" --port "$2" --bind 127.0.0.1 --save '' --appendonly no \
                --management no --dir "$3" --io-threads "$IO_THREADS" --loglevel notice >"$4" 2>&1 &
        fi
        STARTED_PID=$!
        PIDS+=("$STARTED_PID")
    }
    # Polls INFO persistence over one connection every 10 ms until the save in progress ends
    # (redis-cli stops on the closed pipe), then checks that it succeeded.
    await_bgsave() { # port
        local seen
        seen=$(redis-cli -p "$1" -r -1 -i 0.01 INFO persistence 2>/dev/null |
            awk '/^rdb_bgsave_in_progress:0/ { print "done"; exit }' || true)
        [[ $seen == done && $(persistence_field "$1" rdb_last_bgsave_status) == ok ]] ||
            { echo "bench: BGSAVE on port $1 failed or did not end" >&2; exit 1; }
    }
    bgsave() { # port: starts a BGSAVE and waits for its end
        local reply
        reply=$(redis-cli -p "$1" BGSAVE)
        [[ $reply == "Background saving started" ]] || { echo "bench: BGSAVE on port $1: $reply" >&2; exit 1; }
        await_bgsave "$1"
    }
    # Back-to-back BGSAVEs until the stop file appears; writes how many ended to the count file.
    bgsave_loop() { # port stop-file count-file
        local count=0
        while [[ ! -e $2 ]]; do
            bgsave "$1"
            count=$((count + 1))
        done
        echo "$count" >"$3"
    }
    keyspace_misses() { redis-cli -p "$1" INFO stats | tr -d '\r' | awk -F: '$1 == "keyspace_misses" { print $2 }'; }
    # CPU in clock ticks: the whole process with the children it has reaped (Redis's BGSAVE child
    # is reaped before INFO reports the save's end), and the thread that serves clients (Redis's
    # main thread; Magpie's engine, the I/O loop's thread unless io-threads is above 1).
    process_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"; }
    serving_ticks() { # server pid
        local task=/proc/$2/task/$2 name
        if [[ $1 == magpie ]]; then
            for name in magpie-engine magpie-io-1-1; do
                task=$(grep -lx "$name" /proc/"$2"/task/*/comm 2>/dev/null | head -1) && [[ -n $task ]] && break
            done
            task=${task%/comm}
        fi
        awk '{ print $14 + $15 }' "$task/stat"
    }
    ticks_to_seconds() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'; }
    # Requests per GET run: about 3 s of Magpie's rate on 2 cores at each depth, so that every
    # run spans several BGSAVEs of 1M keys.
    rdb_get_requests() { (( $1 == 1 )) && echo "$N" || echo $((N * 8)); }
    rdb_get_run() { # server port pipeline round phase
        local requests misses0 misses1 stop count bgsaves=0
        requests=$(rdb_get_requests "$3")
        misses0=$(keyspace_misses "$2")
        if [[ $5 == bgsave ]]; then
            stop=$WORK/bgsave-loop.stop count=$WORK/bgsave-loop.count
            rm -f "$stop" "$count"
            bgsave_loop "$2" "$stop" "$count" &
            local loop=$!
            sleep 0.1 # the first BGSAVE is running
        fi
        redis-benchmark -h 127.0.0.1 -p "$2" -c "$CLIENTS" -n "$requests" -r "$KEYS" -P "$3" --csv \
            get "key:__rand_int__" 2>/dev/null |
            awk -F, -v s="$1" -v p="$3" -v r="$4" -v ph="$5" 'NR > 1 { gsub(/"/, ""); printf "%s,%s,%s,%s,%s,%s,%s,", s, p, r, ph, $2, $5, $7 }' \
            >>"$RDB_GET"
        if [[ $5 == bgsave ]]; then
            touch "$stop"
            wait "$loop"
            bgsaves=$(cat "$count")
        fi
        echo "$bgsaves" >>"$RDB_GET"
        misses1=$(keyspace_misses "$2")
        (( misses1 == misses0 )) || { echo "bench: $1 missed $((misses1 - misses0)) GETs: the keys are not loaded" >&2; exit 1; }
    }
    # One restart on a dir holding a dump.rdb: the load time the server logs, and the time from
    # process start until it answers loading:0, with DBSIZE checked.
    rdb_load_run() { # server round figure dir
        local server=$1 port log started ready logged size
        port=$(free_port)
        log=$WORK/rdb-load-$server.log
        rm -f "$log" # Redis appends to its log file
        started=$(now_ns)
        start_rdb_server "$server" "$port" "$4" "$log"
        local pid=$STARTED_PID seen
        # Both servers open their port before loading. Until then a connection attempt every
        # 10 ms; after it one redis-cli asks INFO every 10 ms over one connection. (A redis-cli,
        # tr and awk started every 10 ms took CPU from the load: most from Magpie's, which runs
        # on two threads.)
        for _ in $(seq 1 6000); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || { echo "bench: $server exited before opening port $port:" >&2; tail -5 "$log" >&2; exit 1; }
            sleep 0.01
        done
        seen=$(redis-cli -p "$port" -r -1 -i 0.01 INFO persistence 2>/dev/null |
            awk '/^loading:0/ { print "done"; exit }' || true)
        ready=$(seconds_since "$started")
        [[ $seen == done ]] || { echo "bench: $server stopped while loading $4/dump.rdb:" >&2; tail -5 "$log" >&2; exit 1; }
        size=$(redis-cli -p "$port" DBSIZE)
        [[ $size == "$KEYS" ]] || { echo "bench: $server loaded $size keys from $4/dump.rdb, not $KEYS" >&2; exit 1; }
        # Redis: "DB loaded from disk: 1.282 seconds"; Magpie: "Done loading RDB, ... (1574 ms)".
        logged=$(awk '/DB loaded from disk:/ { for (i = 1; i < NF; i++) if ($i == "disk:") v = $(i + 1) }
            /Done loading RDB, keys loaded/ && match($0, /\(([0-9]+) ms\)/) { v = substr($0, RSTART + 1, RLENGTH - 5) / 1000 }
            END { print (v == "" ? "n/a" : v) }' "$log")
        echo "$server,$2,$3-log,$logged" >>"$RDB_SPEED"
        echo "$server,$2,$3-ready,$ready" >>"$RDB_SPEED"
        stop_server "$pid"
    }

    string_keys_resp "$KEYS" >"$WORK/rdb-load.resp"
    for server in redis magpie; do
        port=$(free_port)
        while [[ -n ${RDB_PORT[redis]:-} && $port == "${RDB_PORT[redis]}" ]]; do port=$(free_port); done
        start_rdb_server "$server" "$port" "$WORK/rdb-$server" "$WORK/rdb-$server.log"
        RDB_PORT[$server]=$port
        RDB_PID[$server]=$STARTED_PID
        wait_ready "$port" "$server" "$WORK/rdb-$server.log"
        load_resp "$port" "$WORK/rdb-load.resp" "$KEYS"
        [[ $(redis-cli -p "$port" DBSIZE) == "$KEYS" ]] || { echo "bench: $server did not take $KEYS keys" >&2; exit 1; }
    done
    rm -f "$WORK/rdb-load.resp"
    # Warm-up, not recorded: a BGSAVE and a short GET run each (JIT for Magpie).
    for server in redis magpie; do
        bgsave "${RDB_PORT[$server]}"
        redis-benchmark -h 127.0.0.1 -p "${RDB_PORT[$server]}" -c "$CLIENTS" -n $((N / 2)) -r "$KEYS" -P 16 \
            get "key:__rand_int__" >/dev/null 2>&1
    done
    for round in $(seq 1 "$ROUNDS"); do
        if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
        for server in $order; do
            port=${RDB_PORT[$server]}
            started=$(now_ns)
            reply=$(redis-cli -p "$port" SAVE)
            [[ $reply == OK ]] || { echo "bench: SAVE on $server: $reply" >&2; exit 1; }
            echo "$server,$round,save,$(seconds_since "$started")" >>"$RDB_SPEED"
            pid=${RDB_PID[$server]}
            cpu=$(process_ticks "$pid") serving=$(serving_ticks "$server" "$pid")
            started=$(now_ns)
            bgsave "$port"
            echo "$server,$round,bgsave,$(seconds_since "$started")" >>"$RDB_SPEED"
            echo "$server,$round,bgsave-cpu,$(ticks_to_seconds $(($(process_ticks "$pid") - cpu)))" >>"$RDB_SPEED"
            echo "$server,$round,bgsave-serving-cpu,$(ticks_to_seconds $(($(serving_ticks "$server" "$pid") - serving)))" >>"$RDB_SPEED"
        done
    done
    for round in $(seq 1 "$ROUNDS"); do
        for pipeline in $PIPELINES; do
            if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
            for server in $order; do
                for phase in idle bgsave; do
                    rdb_get_run "$server" "${RDB_PORT[$server]}" "$pipeline" "$round" "$phase"
                done
            done
        done
    done
    RDB_BYTES_REDIS=$(stat -c %s "$WORK/rdb-redis/dump.rdb")
    RDB_BYTES_MAGPIE=$(stat -c %s "$WORK/rdb-magpie/dump.rdb")
    for server in redis magpie; do stop_server "${RDB_PID[$server]}"; done
    # Each loads its own file and the other's (copied, so the own file stays as written).
    mkdir -p "$WORK/rdb-cross-redis" "$WORK/rdb-cross-magpie"
    cp "$WORK/rdb-magpie/dump.rdb" "$WORK/rdb-cross-redis/dump.rdb"
    cp "$WORK/rdb-redis/dump.rdb" "$WORK/rdb-cross-magpie/dump.rdb"
    for round in $(seq 1 "$ROUNDS"); do
        if (( round % 2 )); then order="magpie redis"; else order="redis magpie"; fi
        for server in $order; do
            rdb_load_run "$server" "$round" load "$WORK/rdb-$server"
            rdb_load_run "$server" "$round" cross "$WORK/rdb-cross-$server"
        done
    done

    speed() { # server figure: median seconds
        awk -F, -v s="$1" -v f="$2" '$1 == s && $3 == f && $4 != "n/a" { print $4 }' "$RDB_SPEED" | median
    }
    speed_ratio() { # figure: median over rounds of Magpie keys/s over Redis keys/s (= Redis s / Magpie s)
        awk -F, -v f="$1" '$3 == f && $4 != "n/a" { v[$1 "," $2] = $4; r[$2] = 1 }
            END { for (k in r) if (v["magpie," k] > 0 && v["redis," k] != "") print v["redis," k] / v["magpie," k] }' "$RDB_SPEED" | median
    }
    keys_per_second() { awk -v s="$1" -v n="$KEYS" 'BEGIN { if (s == "n/a" || s <= 0) print "n/a"; else printf "%.0f", n / s }'; }
    per_key_ns() { awk -v s="$1" -v n="$KEYS" 'BEGIN { if (s == "n/a") print s; else printf "%.0f", s * 1e9 / n }'; }
    echo
    echo "### RDB snapshots: $KEYS keys (16-byte names, 64-byte values), Magpie vs Redis, median of $ROUNDS rounds"
    echo
    echo "dump.rdb: Redis $((RDB_BYTES_REDIS / 1024)) KB, Magpie $((RDB_BYTES_MAGPIE / 1024)) KB (both LZF-compressed, with CRC-64)."
    echo "SAVE: the command's round trip. BGSAVE: from the command until INFO persistence reports"
    echo "rdb_bgsave_in_progress:0 (Redis notices its child's end in its cron, up to 100 ms later). Load: the"
    echo "time the server logs for loading the file; *start to ready*: from process start until INFO reports"
    echo "loading:0 (includes process start: the JVM's for Magpie); the DBSIZE is checked. *Cross*: Redis loads"
    echo "Magpie's dump.rdb and Magpie loads Redis's. Ratio: median of per-round Magpie/Redis keys per second."
    echo
    echo "| figure | Redis s | Magpie s | Redis keys/s | Magpie keys/s | ratio | bar >= 1.0 |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    for spec in "save|SAVE" "bgsave|BGSAVE" "load-log|load own file" "cross-log|load the other's file" \
        "load-ready|start to ready, own file" "cross-ready|start to ready, other's file"; do
        IFS='|' read -r figure title <<<"$spec"
        r=$(speed redis "$figure")
        m=$(speed magpie "$figure")
        ratio=$(speed_ratio "$figure")
        ok=$(bar "$ratio" ">=" 1.0)
        [[ $figure == *-ready ]] && ok="(not a bar)"
        echo "| $title | $(fmt "$r") | $(fmt "$m") | $(keys_per_second "$r") | $(keys_per_second "$m") | $(fmt "$ratio") | $ok |"
    done
    echo
    echo "CPU per BGSAVE of an idle server: the whole process with its reaped children (Redis's forked child),"
    echo "and the thread that serves clients (Redis's main thread, Magpie's engine), from /proc/<pid>/stat."
    echo "Ratio: median of per-round Magpie/Redis CPU (lower is better; not a bar)."
    echo
    echo "| figure | Redis s | Magpie s | Redis ns/key | Magpie ns/key | ratio |"
    echo "|---|---:|---:|---:|---:|---:|"
    for spec in "bgsave-cpu|whole process" "bgsave-serving-cpu|serving thread"; do
        IFS='|' read -r figure title <<<"$spec"
        r=$(speed redis "$figure")
        m=$(speed magpie "$figure")
        ratio=$(awk -F, -v f="$figure" '$3 == f { v[$1 "," $2] = $4; r[$2] = 1 }
            END { for (k in r) if (v["redis," k] > 0 && v["magpie," k] != "") print v["magpie," k] / v["redis," k] }' "$RDB_SPEED" | median)
        echo "| $title | $(fmt "$r") | $(fmt "$m") | $(per_key_ns "$r") | $(per_key_ns "$m") | $(fmt "$ratio") |"
    done
    get_value() { # server pipeline phase column(5=rps,6=p50,7=p99,8=bgsaves)
        awk -F, -v s="$1" -v p="$2" -v ph="$3" -v c="$4" '$1 == s && $2 == p && $4 == ph { print $c }' "$RDB_GET" | median
    }
    get_ratio() { # server pipeline column: median over rounds of bgsave/idle
        awk -F, -v s="$1" -v p="$2" -v c="$3" '$1 == s && $2 == p { v[$3 "," $4] = $c; r[$3] = 1 }
            END { for (k in r) if (v[k ",idle"] > 0) print v[k ",bgsave"] / v[k ",idle"] }' "$RDB_GET" | median
    }
    echo
    echo "GET during BGSAVE: redis-benchmark GET key:__rand_int__ -r $KEYS -c $CLIENTS (every GET a hit, checked),"
    echo "$N requests at -P 1 and $((N * 8)) at -P 16, once idle and once while BGSAVE runs back to back (the next"
    echo "starts when the previous ended). Ratios: median of per-round during/idle (p99 bar: at most 2.0)."
    echo
    echo "| server | pipeline | p99 idle ms | p99 during BGSAVE ms | p99 ratio | bar <= 2x | rps idle | rps during | rps ratio | BGSAVEs per run |"
    echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"
    for pipeline in $PIPELINES; do
        for server in redis magpie; do
            ratio=$(get_ratio "$server" "$pipeline" 7)
            echo "| $server | $pipeline | $(fmt "$(get_value "$server" "$pipeline" idle 7)") | $(fmt "$(get_value "$server" "$pipeline" bgsave 7)")" \
                "| $(fmt "$ratio") | $(bar "$ratio" "<=" 2.0) | $(fmt "$(get_value "$server" "$pipeline" idle 5)")" \
                "| $(fmt "$(get_value "$server" "$pipeline" bgsave 5)") | $(fmt "$(get_ratio "$server" "$pipeline" 5)")" \
                "| $(get_value "$server" "$pipeline" bgsave 8) |"
        done
    done
fi
