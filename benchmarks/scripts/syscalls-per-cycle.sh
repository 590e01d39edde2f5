#!/usr/bin/env bash
# Syscalls per connect-call-close cycle of a GF-DUMP PING server, counted with strace.
#
#   benchmarks/scripts/syscalls-per-cycle.sh ripcord [examples-jar]   # rpc-server, 1 poller
#   benchmarks/scripts/syscalls-per-cycle.sh floor                    # floor_server.c, 1 thread
#   benchmarks/scripts/syscalls-per-cycle.sh glusterd                 # a private glusterd -N, Debian's options
#
# The server is warmed up with 2 s of cycles first; then `strace -c -f` attaches for a fixed number of cycles
# (CYCLES, default 20000) driven by gfping_bench's sequential ccc loop, and the table is divided by the cycles
# the client counted. strace slows the server a lot: read the counts, not the time.
set -euo pipefail
which="${1:?ripcord|floor|glusterd}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/gfping_bench" "$root/benchmarks/src/main/c/gfping_bench.c"
gcc -O2 -o "$tmp/floor_server" "$root/benchmarks/src/main/c/floor_server.c"
port=$((20000 + RANDOM % 20000))
case "$which" in
  ripcord)
    jar="${2:-$root/examples/target/ripcord-examples.jar}"
    java -jar "$jar" rpc-server --host 127.0.0.1 --port "$port" --pollers 1 >"$tmp/out" 2>&1 &
    pid=$!
    ;;
  floor)
    "$tmp/floor_server" rpc "$port" 1 >"$tmp/out" 2>&1 &
    pid=$!
    ;;
  glusterd)
    # Its own state directory, port and CLI socket (as the benchmark's PrivateGlusterd): never the system one.
    mkdir -p "$tmp/wd"
    { echo "volume management"; echo "    type mgmt/glusterd"
      grep -E '^ *option ' /etc/glusterfs/glusterd.vol | grep -vE 'working-directory|listen-port|event-threads'
      echo "    option working-directory $tmp/wd"; echo "    option transport.socket.listen-port $port"
      echo "    option glusterd-sockfile $tmp/glusterd.socket"; echo "    option event-threads 1"
      echo "end-volume"; } >"$tmp/glusterd.vol"
    /usr/sbin/glusterd -N -f "$tmp/glusterd.vol" -l "$tmp/glusterd.log" -p "$tmp/pid" >"$tmp/out" 2>&1 &
    pid=$!
    # It accepts at once but answers only after its start-up scripts: wait for a reply.
    for _ in $(seq 300); do "$tmp/gfping_bench" ccc 127.0.0.1 "$port" 0.1 >/dev/null 2>&1 && break; sleep 0.1; done
    ;;
  *) echo "unknown server $which" >&2; exit 2 ;;
esac
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
"$tmp/gfping_bench" ccc 127.0.0.1 "$port" 2 >/dev/null
strace -c -f -p "$pid" -o "$tmp/strace" &
spid=$!
sleep 1
out="$("$tmp/gfping_bench" ccc 127.0.0.1 "$port" "${SECONDS_TRACED:-5}")"
kill -INT "$spid"
wait "$spid" || true
cycles="$(sed -n 's/.*: \([0-9]*\) calls in.*/\1/p' <<<"$out")"
echo "$which: $cycles cycles traced ($out)"
awk -v c="$cycles" 'NR > 2 && $NF != "total" && $1 !~ /^-/ {
    calls = ($4 ~ /^[0-9]+$/) ? $4 : $3; name = $NF; if (calls > 0) printf "%-16s %8.2f\n", name, calls / c
} $NF == "total" { calls = ($4 ~ /^[0-9]+$/) ? $4 : $3; printf "%-16s %8.2f\n", "total", calls / c }' "$tmp/strace"
