#!/usr/bin/env bash
# Starts or stops a throwaway RabbitMQ (Debian's rabbitmq-server) on a given port, with its own
# data dir, no plugins (but the management one when asked) and guest allowed from anywhere: the
# reference broker for compatibility runs and benchmarks. Never touches a system RabbitMQ.
#
#   scripts/rabbitmq-reference.sh start PORT DIR [HTTP_PORT [PROMETHEUS_PORT]]   # returns once the port(s) accept connections
#   scripts/rabbitmq-reference.sh stop  PORT DIR
# With HTTP_PORT, the management plugin serves its HTTP API there (for the HTTP API and CLI tests);
# with PROMETHEUS_PORT too, rabbitmq_prometheus serves /metrics there (for the metrics parity test).
set -euo pipefail

cmd=${1:?start or stop}
port=${2:?port}
dir=${3:?data dir}
http_port=${4:-}
prometheus_port=${5:-}
node="warrenref${port}@localhost"

export RABBITMQ_NODE_PORT=$port
export RABBITMQ_NODENAME=$node
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
# Erlang distribution port: 20000 away from the AMQP port, on whichever side stays a valid port
# (a free port picked by the kernel is often above 45535).
if [ "$port" -gt 45535 ]; then
  export RABBITMQ_DIST_PORT=$((port - 20000))
else
  export RABBITMQ_DIST_PORT=$((port + 20000))
fi
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq
export RABBITMQ_PID_FILE=$dir/rabbitmq.pid
export HOME=$dir

case "$cmd" in
  start)
    mkdir -p "$dir/mnesia" "$dir/log"
    echo "[]." > "$dir/enabled_plugins"
    printf 'loopback_users = none\nlisteners.tcp.default = %s\n' "$port" > "$dir/rabbitmq.conf"
    if [ -n "$http_port" ]; then
      echo "[rabbitmq_management]." > "$dir/enabled_plugins"
      printf 'management.tcp.port = %s\n' "$http_port" >> "$dir/rabbitmq.conf"
    fi
    if [ -n "$prometheus_port" ]; then
      echo "[rabbitmq_management,rabbitmq_prometheus]." > "$dir/enabled_plugins"
      printf 'prometheus.tcp.port = %s\n' "$prometheus_port" >> "$dir/rabbitmq.conf"
    fi
    if id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq:rabbitmq "$dir"; fi
    # rabbitmq-server drops to the rabbitmq user by itself when started as root.
    nohup rabbitmq-server > "$dir/server.out" 2>&1 &
    for _ in $(seq 1 120); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
          && { [ -z "$http_port" ] || (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; } \
          && { [ -z "$prometheus_port" ] || (exec 3<>"/dev/tcp/127.0.0.1/$prometheus_port") 2>/dev/null; }; then
        echo "RabbitMQ listening on $port${http_port:+ (HTTP API on $http_port)}"
        exit 0
      fi
      sleep 1
    done
    echo "RabbitMQ did not start on $port; its output:" >&2
    tail -50 "$dir/server.out" >&2 || true
    exit 1
    ;;
  stop)
    rabbitmqctl -n "$node" stop >/dev/null 2>&1 || pkill -f "$node" || true
    ;;
  *)
    echo "usage: $0 start|stop PORT DIR" >&2
    exit 2
    ;;
esac
