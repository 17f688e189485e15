#!/usr/bin/env bash
# Starts, stops or restarts a private MariaDB for the tests: mariadb.sh start|stop|restart DIR PORT
#
# The server keeps its data in DIR/data, listens on 127.0.0.1:PORT and on DIR/mysqld.sock, logs
# to DIR/error.log and records its PID in DIR/mariadbd.pid. It runs detached (setsid), so it
# outlives the caller. start does nothing when a server from DIR is running already; restart
# keeps the data. Works as root without systemd. Prints one line on success.
# MAILSIFT_MARIADB_BUFFER_POOL sets InnoDB's buffer pool (default 128M, enough for the tests; the
# benchmarks give it room for a million-row job, as a production server would have).
# MAILSIFT_MARIADB_OPTIONS adds mariadbd options (split on spaces), e.g. the benchmarks' redo log
# and flushing settings.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|restart DIR PORT" >&2
    exit 2
}

[[ $# -eq 3 ]] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
port=$3
[[ $port =~ ^[0-9]+$ ]] || usage

data=$dir/data
sock=$dir/mysqld.sock
pidfile=$dir/mariadbd.pid
errlog=$dir/error.log
timeout_s=60

# One control command at a time per DIR.
exec 9>"$dir/ctl.lock"
flock 9

running_pid() {
    local pid
    [[ -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--datadir=$data" || return 1
    echo "$pid"
}

ping_server() {
    mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1
}

fail() {
    echo "mariadb.sh: $1" >&2
    if [[ -f $errlog ]]; then
        echo "--- last lines of $errlog ---" >&2
        tail -n 30 "$errlog" >&2
    fi
    exit 1
}

start() {
    local pid
    if pid=$(running_pid) && ping_server; then
        echo "mariadb: already running on 127.0.0.1:$port (pid $pid, $dir)"
        return 0
    fi
    mkdir -p "$data"
    if [[ -z $(ls -A "$data") ]]; then
        mariadb-install-db --no-defaults --user=root --datadir="$data" \
            --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 ||
            { cat "$dir/install.log" >&2; fail "mariadb-install-db failed"; }
    fi
    setsid nohup mariadbd --no-defaults --user=root --datadir="$data" --socket="$sock" \
        --pid-file="$pidfile" --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
        --log-error="$errlog" --innodb-buffer-pool-size="${MAILSIFT_MARIADB_BUFFER_POOL:-128M}" \
        --innodb-flush-log-at-trx-commit=2 --skip-log-bin ${MAILSIFT_MARIADB_OPTIONS:-} \
        </dev/null >"$dir/mariadbd.out" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$pidfile"
    local deadline=$((SECONDS + timeout_s))
    until ping_server; do
        kill -0 "$pid" 2>/dev/null || fail "mariadbd (pid $pid) exited during start-up"
        ((SECONDS < deadline)) || fail "mariadbd (pid $pid) did not answer within ${timeout_s}s"
        sleep 0.1
    done
    mariadb --no-defaults --socket="$sock" -uroot <<'SQL' || fail "could not create the test user"
CREATE USER IF NOT EXISTS 'mailsift'@'127.0.0.1' IDENTIFIED BY 'mailsift';
CREATE USER IF NOT EXISTS 'mailsift'@'%' IDENTIFIED BY 'mailsift';
GRANT ALL PRIVILEGES ON `mailsift\_%`.* TO 'mailsift'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `mailsift\_%`.* TO 'mailsift'@'%';
GRANT ALL PRIVILEGES ON `mailsift_test`.* TO 'mailsift'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `mailsift_test`.* TO 'mailsift'@'%';
CREATE DATABASE IF NOT EXISTS mailsift_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SQL
    echo "mariadb: running on 127.0.0.1:$port (pid $pid, $dir)"
}

stop() {
    local pid
    if ! pid=$(running_pid); then
        echo "mariadb: not running ($dir)"
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + timeout_s))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            echo "mariadb: pid $pid ignored TERM for ${timeout_s}s; killed" >&2
            break
        fi
        sleep 0.05
    done
    echo "mariadb: stopped (pid $pid, $dir)"
}

case $action in
    start) start ;;
    stop) stop ;;
    restart)
        stop >/dev/null
        start
        ;;
    *) usage ;;
esac
