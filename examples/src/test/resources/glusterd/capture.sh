#!/usr/bin/env bash
# Re-captures expected/*.txt from a real glusterd (Debian glusterfs-server 10.3), as root, on a machine
# where nothing else uses glusterd. DESTRUCTIVE: it wipes /var/lib/glusterd (keeping groups/ and hooks/).
#   examples/src/test/resources/glusterd/capture.sh      (STRACE_DIR=dir also keeps an strace of each run)
# Each transcript holds the exit code, stdout and stderr with UUIDs replaced by <UUID> and the hostname by
# HOST and the bricks directory by BRICKS, the normalization GlusterdCliSessionTest applies to the Ripcord endpoint's output.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sock=/var/run/glusterd.socket
host=$(hostname)
bricks=/tmp/ripcord-bricks
out=$here/expected
mkdir -p "$out"
gd_pid=

normalize() {
  sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<UUID>/g' -e "s/${host}:/HOST:/g" -e "s#${bricks}#BRICKS#g"
}

start_glusterd() {
  glusterd -N -l /tmp/ripcord-capture-glusterd.log >>/tmp/ripcord-capture-glusterd.log 2>&1 &
  gd_pid=$!
  for _ in $(seq 100); do  # glusterd answers ~2.5 s after start (FINDINGS 3)
    gluster --glusterd-sock=$sock pool list >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "glusterd did not answer" >&2; exit 1
}

stop_glusterd() {
  kill -TERM "$gd_pid"; wait "$gd_pid" 2>/dev/null
}

# record <file> <gluster args...>
record() {
  local file=$1; shift
  local wrap=()
  if [ -n "${STRACE_DIR:-}" ]; then  # optional: the wire traffic, for decode_cli.py
    mkdir -p "$STRACE_DIR"
    wrap=(strace -f -xx -s 65535 -e trace=connect,read,write,readv,writev -o "$STRACE_DIR/$(basename "$file" .txt).strace")
  fi
  timeout 60 "${wrap[@]}" gluster "$@" </dev/null >/tmp/ripcord-cli.out 2>/tmp/ripcord-cli.err; local rc=$?
  { echo "--- exit code: $rc"; echo "--- stdout:"; normalize </tmp/ripcord-cli.out
    echo "--- stderr:"; normalize </tmp/ripcord-cli.err; } >"$file"
  echo "== $file"; cat "$file"
}

find /var/lib/glusterd -mindepth 1 -maxdepth 1 ! -name groups ! -name hooks -exec rm -rf {} +
rm -rf $bricks; mkdir -p $bricks
start_glusterd
while read -r name args; do
  case "$name" in
    ''|'#'*) continue ;;
    '!restart') stop_glusterd; start_glusterd; continue ;;
  esac
  # shellcheck disable=SC2086
  record "$out/$name.txt" --glusterd-sock=$sock $(sed -e "s/@HOST@/$host/g" -e "s#@BRICKS@#$bricks#g" <<<"$args")
done <"$here/session.txt"

# Write operations over TCP hit glusterd's read-only CLI program: PROC_UNAVAIL, the reply a real glusterd
# gives to an operation it does not serve. The Ripcord endpoint gives the same to what it does not implement.
gluster --glusterd-sock=$sock volume create uv1 "$host:$bricks/u1" force >/dev/null
while read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  record "$out/$name.txt" --remote-host=127.0.0.1 $args
done <"$here/unsupported.txt"
gluster --glusterd-sock=$sock --mode=script volume delete uv1 >/dev/null

stop_glusterd
rm -rf $bricks
