#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: the one helper behind the
# gtest fixture (tests/unit/pg_test_cluster.h) and the node one
# (tests/integration/lib/pg.js).
#
#   pg-test-cluster.sh start DIR   initdb (first time) + start; prints the URL
#   pg-test-cluster.sh stop DIR    stop (bounded; SIGKILL if it will not) and remove DIR
#   pg-test-cluster.sh restart DIR MODE   pg_ctl restart -m MODE (fast | immediate)
#   pg-test-cluster.sh halt DIR    stop the server, keep DIR (start brings it back)
#
# The server listens only on a unix socket in DIR (no TCP port to collide
# with). PostgreSQL refuses to run as root and CI runs as root, so as root
# the cluster runs as Debian's `postgres` user, in a DIR that user owns.
# fsync=off: a test cluster need not survive a power cut, only a process
# crash, which PostgreSQL's WAL covers without fsync.
set -euo pipefail

cmd=${1:?usage: pg-test-cluster.sh start|stop|restart DIR [MODE]}
dir=${2:?usage: pg-test-cluster.sh start|stop|restart DIR [MODE]}
bindir=${NGA_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ ! -x "$bindir/pg_ctl" ]; then
  echo "pg-test-cluster: no PostgreSQL server found (apt install postgresql, or set NGA_PG_BINDIR)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pid_of() { head -1 "$dir/data/postmaster.pid" 2>/dev/null || true; }

case "$cmd" in
  start)
    url="postgresql://postgres@/postgres?host=$dir"
    if [ -f "$dir/data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "$url"  # already running (a ctest fixture shared by several test processes)
      exit 0
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-k $dir -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$url"
    ;;
  restart)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -m "${3:-fast}" \
      -o "-k $dir -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=300" \
      restart >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  halt)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 10 -m fast stop >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      pid=$(pid_of)
      if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 10 -m fast stop >/dev/null 2>&1; then
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
      fi
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "pg-test-cluster: unknown command $cmd" >&2
    exit 2
    ;;
esac
