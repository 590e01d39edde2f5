#!/usr/bin/env bash
# GF-DUMP PING against Ripcord's rpc-server (one poller) and a real glusterd (event-threads 1, its default),
# alternating A B A B, with the same C load generator (benchmarks/src/main/c/gfping_bench.c).
#   pipelined:           8 connections x 8 calls in flight
#   connect-call-close:  one call per connection, the gluster CLI's pattern
# Usage: benchmarks/scripts/ping-vs-glusterd.sh [rounds (3)] [seconds (5)]
# Needs: gcc, glusterfs-server (glusterd), a built examples/target/ripcord-examples.jar, root (glusterd).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
secs=${2:-5}
bin=$(mktemp -d)/gfping_bench
gcc -O2 -o "$bin" benchmarks/src/main/c/gfping_bench.c
port=20491

start_ripcord() {
  java -jar examples/target/ripcord-examples.jar rpc-server --port $port --pollers 1 > /tmp/ping-bench-rs.log 2>&1 &
  rs_pid=$!
  for _ in $(seq 1 100); do grep -q "listening on" /tmp/ping-bench-rs.log && return; sleep 0.1; done
  echo "rpc-server did not start" >&2; exit 1
}
# A private glusterd: its own volfile, port, state directory and CLI socket, so that it neither needs nor
# disturbs a system glusterd (/var/lib/glusterd, port 24007, /var/run/glusterd.socket).
gd_dir=$(mktemp -d)
gd_port=24017
mkdir -p "$gd_dir/wd"
cat > "$gd_dir/glusterd.vol" <<VOL
volume management
    type mgmt/glusterd
    option working-directory $gd_dir/wd
    option transport-type socket
    option transport.socket.listen-port $gd_port
    option glusterd-sockfile $gd_dir/glusterd.socket
    option ping-timeout 0
    option event-threads 1
end-volume
VOL
start_glusterd() {
  glusterd -N -f "$gd_dir/glusterd.vol" -l "$gd_dir/glusterd.log" -p "$gd_dir/pid" &
  gd_pid=$!
  # glusterd accepts at once but answers only after its start-up scripts (seconds): wait for a reply.
  for _ in $(seq 1 150); do
    "$bin" pipe 127.0.0.1 $gd_port 1 1 1 2>/dev/null | grep -q ' [1-9][0-9]* replies' && return
    sleep 0.2
  done
  echo "glusterd did not answer" >&2; exit 1
}
# Each round starts a fresh server; a short unmeasured pass warms up the JVM's JIT (and glusterd's caches).
warm() { "$bin" pipe 127.0.0.1 "$1" 8 8 2 >/dev/null; "$bin" ccc 127.0.0.1 "$1" 1 >/dev/null; }
rate() { grep -oE '= [0-9]+' | grep -oE '[0-9]+'; }

echo "machine: $(nproc) cores shared by load generator and server; $(java -version 2>&1 | head -1); kernel $(uname -r)"
echo "round,server,pipelined_calls_per_s,connect_call_close_per_s"
for r in $(seq 1 "$rounds"); do
  start_ripcord
  warm $port
  p=$("$bin" pipe 127.0.0.1 $port 8 8 "$secs" | rate)
  c=$("$bin" ccc 127.0.0.1 $port "$secs" | rate)
  echo "$r,ripcord,$p,$c"
  kill -TERM $rs_pid; wait $rs_pid 2>/dev/null || true
  start_glusterd
  warm $gd_port
  p=$("$bin" pipe 127.0.0.1 $gd_port 8 8 "$secs" | rate)
  c=$("$bin" ccc 127.0.0.1 $gd_port "$secs" | rate)
  echo "$r,glusterd,$p,$c"
  kill -TERM $gd_pid; wait $gd_pid 2>/dev/null || true
done
