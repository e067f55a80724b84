#!/usr/bin/env python3
"""Warren against RabbitMQ, one command (issue 6).

    python3 bench/run.py                      # every scenario, 3 repeats, medians (~40 min)
    python3 bench/run.py --quick              # 1 repeat, short runs (~6 min)
    python3 bench/run.py --scenarios transient,latency

Each scenario runs on a fresh broker (started, measured, stopped), Warren and RabbitMQ one after
the other, and the whole list is repeated; which broker goes first alternates per repeat. The load
comes from RabbitMQ's PerfTest 2.22.1 and, for what PerfTest cannot do (1,000 topic bindings,
p99.9 latency, idle connections), from io.warren.bench.BenchClient; both live in bench/target/lib,
built by `mvn -B -q -f bench/pom.xml package` when missing. Broker RSS and CPU come from /proc.

Writes bench/results/<timestamp>.md (the table) and .json (every sample). Standard library only.
"""

import argparse
import datetime
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
LIB = os.path.join(BENCH, "target", "lib")
CLIENT_JAR = os.path.join(LIB, "warren-bench.jar")
BROKER_JAR = os.path.join(ROOT, "broker", "target", "warren-broker.jar")
RABBIT_SCRIPT = os.path.join(ROOT, "scripts", "rabbitmq-reference.sh")
RESULTS = os.path.join(BENCH, "results")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
T0 = time.monotonic()

# Warren is started exactly as README's start command does: no JVM flags.
WARREN_CMD = ["java", "-jar", BROKER_JAR]


def log(msg):
    el = int(time.monotonic() - T0)
    print(f"[{el // 60:3d}m{el % 60:02d}s] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# /proc

def proc_cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def proc_status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def system_busy_ticks():
    """Busy clock ticks of the whole machine (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4]  # minus idle and iowait


def rss_kb(pid):
    return proc_status_kb(pid, "VmRSS")


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def pids_with_env(needle):
    """Processes whose environment contains needle (e.g. RABBITMQ_NODENAME=warrenref123@localhost)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/environ", "rb") as f:
                if needle.encode() in f.read().split(b"\0"):
                    found.append(int(d))
        except OSError:
            pass
    return found


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def kill_pid(pid, sig=signal.SIGKILL):
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def rss_median(pid, n=5):
    vals = []
    for _ in range(n):
        vals.append(rss_kb(pid) or 0)
        time.sleep(0.2)
    return statistics.median(vals)


class RssSampler(threading.Thread):
    """Samples a process's RSS every 200 ms; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._stop_ev = pid, 0, threading.Event()

    def run(self):
        while not self._stop_ev.is_set():
            r = rss_kb(self.pid)
            if r:
                self.peak_kb = max(self.peak_kb, r)
            self._stop_ev.wait(0.2)

    def stop(self):
        self._stop_ev.set()
        self.join(2)
        return self.peak_kb


# ------------------------------------------------------------------------------------------------
# children: everything started is registered, and killed by pid on any exit

LIVE = set()


def popen(cmd, **kw):
    p = subprocess.Popen(cmd, start_new_session=True, **kw)
    LIVE.add(p)
    return p


def reap(p, timeout=10):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)
    LIVE.discard(p)


def free_port(lo=20000, hi=45000):
    """A port that is free, and whose +20000 (RabbitMQ's distribution port) is free too."""
    import random
    for _ in range(200):
        port = random.randint(lo, hi)
        try:
            for p in (port, port + 20000):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


# ------------------------------------------------------------------------------------------------
# brokers

class Warren:
    name = "Warren"

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "warren-data")
        self.proc = None
        self.pid = None
        self.port = None

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        self.out_path = os.path.join(self.dir, "..", "warren.out")
        out = open(self.out_path, "w")
        self.proc = popen(WARREN_CMD + ["--amqp-port", "0", "--http-port", "0", "--metrics-port", "0",
                                        "--data-dir", self.dir], stdout=out, stderr=subprocess.STDOUT)
        out.close()
        self.pid = self.proc.pid
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(self.out_path) as f:
                m = re.search(r"Warren listening on AMQP port (\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        with open(self.out_path) as f:
            tail = f.read()[-2000:]
        raise RuntimeError("Warren did not start:\n" + tail)

    def uri(self):
        return f"amqp://guest:guest@127.0.0.1:{self.port}"

    def stop(self):
        if self.proc:
            reap(self.proc, 15)
            self.proc = None


class RabbitMQ:
    name = "RabbitMQ"

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "rabbitmq")
        self.port = None
        self.pid = None

    def start(self):
        self.port = free_port()
        self.env_key = f"RABBITMQ_NODENAME=warrenref{self.port}@localhost"
        r = subprocess.run(["bash", RABBIT_SCRIPT, "start", str(self.port), self.dir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=180, start_new_session=True)
        beams = [p for p in pids_with_env(self.env_key) if comm(p) == "beam.smp"]
        if r.returncode != 0 or len(beams) != 1:
            self.stop()
            raise RuntimeError(f"RabbitMQ did not start (beam.smp pids {beams}):\n{r.stdout[-2000:]}")
        self.pid = beams[0]

    def uri(self):
        return f"amqp://guest:guest@127.0.0.1:{self.port}"

    def node_pids(self):
        # epmd, started by the first node, inherits its environment but serves every node: it is
        # left alone here and stopped at the end of the run (main) if the run started it.
        return [p for p in pids_with_env(self.env_key) if comm(p) != "epmd"]

    def stop(self):
        if self.port is None:
            return
        try:
            subprocess.run(["bash", RABBIT_SCRIPT, "stop", str(self.port), self.dir],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                           start_new_session=True)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(p) for p in self.node_pids()):
            time.sleep(0.2)
        # Whatever of this node is still there (beam.smp, its wrappers, erl_child_setup) goes by pid.
        for p in self.node_pids():
            kill_pid(p)
        self.port = None
        self.pid = None


def epmd_running():
    return any(comm(int(d)) == "epmd" and alive(int(d)) for d in os.listdir("/proc") if d.isdigit())


# ------------------------------------------------------------------------------------------------
# load runs

ROW = re.compile(r"time ([\d.]+) s")
FIELD = re.compile(r"(sent|received|confirmed|nacked|returned): (\d+) msg/s")
LAT = re.compile(r"consumer latency: (\d+)/(\d+)/(\d+)/(\d+)/(\d+) µs")
AVG = re.compile(r"(sending|receiving) rate avg: (\d+) msg/s")
SUMLAT = re.compile(r"^id: .*?, consumer latency min/median/75th/95th/99th (\d+)/(\d+)/(\d+)/(\d+)/(\d+) µs")
RESULT = re.compile(r"^RESULT (\w+)=(\S+)")


class Load:
    """One PerfTest or BenchClient process: per-second rows, each stamped with broker and client CPU
    ticks read the moment the row arrives, the summary lines, and RESULT lines."""

    def __init__(self, broker, cmd, timeout, label, logdir, stdin=None):
        self.broker, self.cmd, self.timeout, self.label = broker, cmd, timeout, label
        self.rows, self.summary, self.results, self.lines = [], {}, {}, []
        self.err_path = os.path.join(logdir, f"{label}.stderr")
        self.stdin = stdin
        self.proc = None

    def mark(self):
        return {"wall": time.monotonic(), "broker_cpu": proc_cpu_ticks(self.broker.pid),
                "client_cpu": proc_cpu_ticks(self.proc.pid) if self.proc else None,
                "broker_rss_kb": rss_kb(self.broker.pid), "system_busy": system_busy_ticks()}

    def start(self):
        err = open(self.err_path, "w")
        self.proc = popen(self.cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                          stdin=subprocess.PIPE if self.stdin else subprocess.DEVNULL, bufsize=1)
        err.close()
        self.first = self.mark()
        self.killer = threading.Timer(self.timeout, self._timeout)
        self.killer.daemon = True
        self.timed_out = False
        self.killer.start()

    def _timeout(self):
        self.timed_out = True
        if self.proc.poll() is None:
            self.proc.kill()

    def readline(self):
        line = self.proc.stdout.readline()
        if not line:
            return None
        line = line.rstrip("\n")
        self.lines.append(line)
        m = ROW.search(line)
        if m:
            row = self.mark()
            row["t"] = float(m.group(1))
            for k, v in FIELD.findall(line):
                row[k] = int(v)
            lat = LAT.search(line)
            if lat:
                row["latency_us"] = [int(x) for x in lat.groups()]
            self.rows.append(row)
            return line
        m = AVG.search(line)
        if m:
            self.summary[m.group(1) + "_avg"] = int(m.group(2))
        m = SUMLAT.search(line)
        if m:
            self.summary["latency_us"] = [int(x) for x in m.groups()]
        m = RESULT.search(line)
        if m:
            v = m.group(2)
            try:
                v = float(v)
            except ValueError:
                pass
            self.results[m.group(1)] = v
        return line

    def send(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def finish(self):
        while self.readline() is not None:
            pass
        self.last = self.mark()
        rc = self.proc.wait()
        self.killer.cancel()
        LIVE.discard(self.proc)
        if self.timed_out:
            raise RuntimeError(f"{self.label}: still running after {self.timeout}s, killed")
        if rc != 0:
            with open(self.err_path) as f:
                tail = f.read()[-1500:]
            raise RuntimeError(f"{self.label}: exit {rc}\n{tail}")
        return self

    def run(self):
        self.start()
        return self.finish()

    def window(self, warmup, duration):
        """Steady-state numbers over the rows from second warmup+1 to duration (the rows before are
        warm-up, the row after is PerfTest's partial last second)."""
        rows = self.rows
        idx = [i for i, r in enumerate(rows) if warmup + 0.5 < r["t"] <= duration + 0.5]
        if len(idx) < 1:
            raise RuntimeError(f"{self.label}: no per-second rows in the measured window")
        first, last = idx[0], idx[-1]
        before = rows[first - 1] if first > 0 else self.first
        end = rows[last]
        win = rows[first:last + 1]
        secs = end["wall"] - before["wall"]
        out = {"seconds": round(secs, 3), "rows": len(win)}
        for k in ("sent", "received", "confirmed"):
            vals = [r[k] for r in win if k in r]
            if vals:
                out[k + "_rate"] = statistics.mean(vals)
                out[k + "_count"] = sum(vals)
        out.update(cpu_between(before, end))
        return out

    def whole(self):
        return cpu_between(self.first, self.last)


def cpu_between(a, b):
    secs = b["wall"] - a["wall"]
    out = {}
    for who in ("broker", "client"):
        x, y = a.get(who + "_cpu"), b.get(who + "_cpu")
        if x is not None and y is not None and secs > 0:
            out[who + "_cpu_s"] = (y - x) / CLK_TCK
            out[who + "_cpu_pct"] = 100.0 * (y - x) / CLK_TCK / secs
    if secs > 0 and "broker_cpu_s" in out and "client_cpu_s" in out:
        # CPU used by every other process on the machine meanwhile: a busy machine shows here.
        busy = (b["system_busy"] - a["system_busy"]) / CLK_TCK
        out["other_cpu_pct"] = max(0.0, 100.0 * (busy - out["broker_cpu_s"] - out["client_cpu_s"]) / secs)
    return out


def perftest(broker, args, timeout, label, logdir):
    cmd = ["java", "-cp", os.path.join(LIB, "*"), "com.rabbitmq.perf.PerfTest", "--uri", broker.uri()] + args
    return Load(broker, cmd, timeout, label, logdir)


def benchclient(broker, args, timeout, label, logdir, stdin=False):
    cmd = ["java", "-cp", os.path.join(LIB, "*"), "io.warren.bench.BenchClient", args[0],
           "--uri", broker.uri()] + args[1:]
    return Load(broker, cmd, timeout, label, logdir, stdin=stdin)


# ------------------------------------------------------------------------------------------------
# scenarios: each returns {figure key: value, ...} plus "cpu" {figure key: (broker %, client %)}

class Ctx:
    def __init__(self, broker, cfg, logdir):
        self.broker, self.cfg, self.logdir = broker, cfg, logdir
        self.w, self.m = cfg["warmup"], cfg["measure"]
        self.d = self.w + self.m
        self.figures, self.cpu, self.raw = {}, {}, {}

    def put(self, key, value, load_window=None):
        self.figures[key] = value
        if load_window and "broker_cpu_pct" in load_window:
            self.cpu[key] = {k: load_window.get(k + "_cpu_pct") for k in ("broker", "client", "other")}

    def keep(self, name, load, extra=None):
        self.raw[name] = {"cmd": load.cmd, "rows": load.rows, "summary": load.summary,
                          "results": load.results, **(extra or {})}


def s_transient(c):
    ld = perftest(c.broker, ["-x", "1", "-y", "1", "-s", "16", "-a", "-u", "bench-transient",
                             "-z", str(c.d)], c.d + 60, "transient", c.logdir).run()
    w = ld.window(c.w, c.d)
    c.keep("transient", ld, {"window": w})
    c.put("transient.received", w["received_rate"], w)
    c.put("transient.sent", w["sent_rate"], w)


def s_persistent(c):
    ld = perftest(c.broker, ["-x", "1", "-y", "1", "-s", "1024", "-f", "persistent", "-c", "100",
                             "-q", "100", "-A", "50", "-u", "bench-persistent", "-z", str(c.d)],
                  c.d + 60, "persistent", c.logdir).run()
    w = ld.window(c.w, c.d)
    c.keep("persistent", ld, {"window": w})
    c.put("persistent.received", w["received_rate"], w)
    c.put("persistent.confirmed", w.get("confirmed_rate"), w)


def s_fanout(c):
    ld = perftest(c.broker, ["-e", "bench.fanout", "-t", "fanout", "-x", "1", "-y", "10", "-s", "16", "-a",
                             "--queue-pattern", "bench-fanout-%d", "--queue-pattern-from", "1",
                             "--queue-pattern-to", "10", "-z", str(c.d)], c.d + 60, "fanout", c.logdir).run()
    w = ld.window(c.w, c.d)
    c.keep("fanout", ld, {"window": w})
    c.put("fanout.delivered", w["received_rate"], w)
    c.put("fanout.published", w["sent_rate"], w)


def s_topic(c):
    ld = benchclient(c.broker, ["topic", "--seconds", str(c.d), "--bindings", "1000", "--queues", "10",
                                "--size", "16"], c.d + 120, "topic", c.logdir).run()
    w = ld.window(c.w, c.d)
    c.keep("topic", ld, {"window": w})
    c.put("topic.delivered", w["received_rate"], w)
    c.put("topic.published", w["sent_rate"], w)


def s_latency(c):
    ld = benchclient(c.broker, ["latency", "--seconds", str(c.d), "--warmup", str(c.w), "--rate", "5000",
                                "--size", "16"], c.d + 60, "latency", c.logdir).run()
    w = ld.window(c.w, c.d)
    c.keep("latency", ld, {"window": w})
    r = ld.results
    c.put("latency.median", r["latency_median_us"], w)
    c.put("latency.p99", r["latency_p99_us"], w)
    c.put("latency.p999", r["latency_p999_us"], w)
    c.put("latency.rate", w["received_rate"], w)


def s_connections(c):
    n = c.cfg["idle_connections"]
    pid = c.broker.pid
    ld = benchclient(c.broker, ["idle", "--warm", "50", "--connections", str(n), "--timeout", "300"],
                     400, "idle", c.logdir, stdin=True)
    ld.start()
    try:
        while (line := ld.readline()) is not None and not line.startswith("WARM"):
            pass
        time.sleep(3)
        before = rss_median(pid)
        ld.send("open")
        while (line := ld.readline()) is not None and not line.startswith("OPENED"):
            pass
        if line is None:
            raise RuntimeError("idle: client ended before opening its connections")
        time.sleep(3)
        after = rss_median(pid)
        ld.send("close")
    except BaseException:
        reap(ld.proc)
        raise
    ld.finish()
    c.keep("idle", ld, {"rss_before_kb": before, "rss_after_kb": after, "connections": n})
    c.put("conn.idle_rss_per_conn_kb", (after - before) / n)
    c.put("conn.idle_rss_kb", after)

    time.sleep(2)
    pairs = c.cfg["many_pairs"]
    warm = max(c.w, 5)
    d = warm + c.m
    sampler = RssSampler(pid)
    sampler.start()
    ld = perftest(c.broker, ["-x", str(pairs), "-y", str(pairs), "-r", "10", "-s", "16", "-a",
                             "--queue-pattern", "bench-many-%d", "--queue-pattern-from", "1",
                             "--queue-pattern-to", str(pairs), "-z", str(d)], d + 180, "many", c.logdir).run()
    peak = sampler.stop()
    w = ld.window(warm, d)
    c.keep("many", ld, {"window": w, "rss_peak_kb": peak})
    c.put("conn.many_delivered", w["received_rate"], w)
    c.put("conn.many_rss_kb", peak, w)


def s_backlog(c):
    n = c.cfg["backlog"]
    pid = c.broker.pid
    sampler = RssSampler(pid)
    sampler.start()
    cap = c.cfg["backlog_cap"]
    pub = perftest(c.broker, ["-x", "1", "-y", "0", "-s", "16", "-u", "bench-backlog", "-ad", "false",
                              "-C", str(n), "-z", str(cap)], cap + 60, "backlog-publish", c.logdir).run()
    rss_full = rss_kb(pid)
    time.sleep(1)
    drain = perftest(c.broker, ["-x", "0", "-y", "1", "-u", "bench-backlog", "-ad", "false", "-D", str(n),
                                "-q", "1000", "-A", "100", "-z", str(cap)], cap + 60, "backlog-drain",
                     c.logdir).run()
    peak = max(sampler.stop(), proc_status_kb(pid, "VmHWM") or 0)
    pw, dw = pub.whole(), drain.whole()
    c.keep("backlog-publish", pub, {"cpu": pw, "rss_after_publish_kb": rss_full})
    c.keep("backlog-drain", drain, {"cpu": dw, "rss_peak_kb": peak})
    for ld, what in ((pub, "Producer"), (drain, "Consumer")):
        if not any(f"test stopped ({what} reached message limit)" in line for line in ld.lines):
            raise RuntimeError(f"{ld.label}: {n} messages not done within {cap}s")
    c.put("backlog.publish", pub.summary.get("sending_avg"), pw)
    c.put("backlog.drain", drain.summary.get("receiving_avg"), dw)
    c.put("backlog.peak_rss_kb", peak)


def s_cost(c):
    for name, args, rate in (
            ("transient", ["-s", "16", "-a", "-r", "20000"], 20000),
            ("persistent", ["-s", "1024", "-f", "persistent", "-c", "100", "-q", "100", "-A", "50",
                            "-r", "5000"], 5000)):
        # CPU per message is a steady-state figure: Warren's JIT keeps compiling the store's
        # commit path for about 30 s at 5,000 msg/s, so this scenario warms up longer.
        warm = c.cfg["cost_warmup"]
        d = warm + c.m
        ld = perftest(c.broker, ["-x", "1", "-y", "1", "-u", f"bench-cost-{name}", "-z", str(d)] + args,
                      d + 60, f"cost-{name}", c.logdir).run()
        w = ld.window(warm, d)
        c.keep(f"cost-{name}", ld, {"window": w})
        msgs = w.get("received_count") or 0
        c.put(f"cost.{name}_us", 1e6 * w["broker_cpu_s"] / msgs if msgs else None, w)
        c.put(f"cost.{name}_client_us", 1e6 * w["client_cpu_s"] / msgs if msgs else None, w)
        c.put(f"cost.{name}_rate", w["received_rate"], w)
        if w["received_rate"] < 0.95 * rate:
            log(f"  note: {c.broker.name} delivered {w['received_rate']:.0f} msg/s, below the fixed {rate}")
        time.sleep(1)


SCENARIOS = {
    "transient": s_transient,
    "persistent": s_persistent,
    "fanout": s_fanout,
    "topic": s_topic,
    "latency": s_latency,
    "connections": s_connections,
    "backlog": s_backlog,
    "cost": s_cost,
}

# figure key -> (label, unit, target ratio Warren/RabbitMQ, "ge"/"le"/None, higher_is_better)
FIGURES = [
    ("transient.received", "1 transient 16 B, auto-ack: received", "msg/s", 1.5, "ge"),
    ("transient.sent", "1 transient 16 B: sent", "msg/s", None, None),
    ("persistent.received", "2 persistent 1 KiB, confirms 100, prefetch 100: received", "msg/s", 2.0, "ge"),
    ("persistent.confirmed", "2 persistent: confirmed", "msg/s", None, None),
    ("fanout.delivered", "3 fan-out to 10 queues: delivered (total)", "msg/s", 1.5, "ge"),
    ("fanout.published", "3 fan-out: published", "msg/s", None, None),
    ("topic.delivered", "4 topic, 1,000 bindings: delivered (total)", "msg/s", 1.5, "ge"),
    ("topic.published", "4 topic: published", "msg/s", None, None),
    ("latency.median", "5 latency at 5,000 msg/s: median", "µs", None, None),
    ("latency.p99", "5 latency: p99", "µs", 1.0, "le"),
    ("latency.p999", "5 latency: p99.9", "µs", None, None),
    ("latency.rate", "5 latency: delivered rate", "msg/s", None, None),
    ("conn.idle_rss_per_conn_kb", "6 RSS per idle connection (500 opened)", "KiB", 1 / 3, "le"),
    ("conn.idle_rss_kb", "6 RSS with 550 idle connections (50 + 500)", "KiB", None, None),
    ("conn.many_delivered", "6 200 producers + 200 consumers at 10 msg/s: delivered", "msg/s", None, None),
    ("conn.many_rss_kb", "6 200+200: peak RSS", "KiB", None, None),
    ("backlog.publish", "7 backlog: publish (no consumer)", "msg/s", None, None),
    ("backlog.drain", "7 backlog: drain", "msg/s", 2.0, "ge"),
    ("backlog.peak_rss_kb", "7 backlog: peak RSS", "KiB", 1.0, "le"),
    ("cost.transient_us", "8 broker CPU per msg, transient 16 B at 20,000 msg/s", "µs", 1 / 3, "le"),
    ("cost.transient_client_us", "8 client CPU per msg, transient", "µs", None, None),
    ("cost.transient_rate", "8 transient: delivered rate", "msg/s", None, None),
    ("cost.persistent_us", "8 broker CPU per msg, persistent 1 KiB + confirms at 5,000 msg/s", "µs", 0.5, "le"),
    ("cost.persistent_client_us", "8 client CPU per msg, persistent", "µs", None, None),
    ("cost.persistent_rate", "8 persistent: delivered rate", "msg/s", None, None),
]
FIGURE_SCENARIO = {"transient": "transient", "persistent": "persistent", "fanout": "fanout", "topic": "topic",
                   "latency": "latency", "conn": "connections", "backlog": "backlog", "cost": "cost"}


# ------------------------------------------------------------------------------------------------
# report

def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
        return r.stdout.strip()
    except Exception as e:  # noqa: BLE001 - informational only
        return f"? ({e})"


def machine_info():
    model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GiB\", $2/1048576}'")
    return {
        "nproc": sh("nproc"),
        "cpu": model,
        "ram": mem,
        "kernel": sh("uname -sr"),
        "java": sh("java -version 2>&1 | head -2 | tr '\\n' ' '"),
        "java_default_max_heap": sh("java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '/ MaxHeapSize /{printf \"%.0f MiB\", $4/1048576}'"),
        "rabbitmq": sh("dpkg-query -W -f '${Version}' rabbitmq-server"),
        "erlang": sh("dpkg-query -W -f '${Version}' erlang-base"),
        "perftest": "com.rabbitmq:perf-test 2.22.1 (amqp-client 5.37.1)",
        "warren_commit": sh(f"git -C {ROOT} rev-parse --short HEAD") + (" (dirty)" if sh(f"git -C {ROOT} status --porcelain --untracked-files=no -- . ':!bench'") else ""),
        "loadavg_at_start": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }


def fmt(v, unit):
    if v is None:
        return "—"
    if unit == "KiB" and v >= 10 * 1024:
        return f"{v / 1024:,.0f} MiB"
    if unit == "msg/s":
        return f"{v:,.0f} msg/s"
    if abs(v) >= 100:
        return f"{v:,.0f} {unit}"
    return f"{v:,.1f} {unit}"


def fmt_target(t, kind):
    if t is None:
        return ""
    frac = {1 / 3: "1/3", 0.5: "1/2"}.get(t, f"{t:g}")
    return ("≥ " if kind == "ge" else "≤ ") + frac + ("×" if kind == "ge" else "")


def median_or_none(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def build_table(runs, selected):
    """runs: list of {broker, scenario, repeat, figures, cpu} -> markdown table lines."""
    head = ["| figure | Warren | RabbitMQ | ratio W/R | target | met? | CPU broker/client, Warren | CPU broker/client, RabbitMQ |",
            "|---|---:|---:|---:|---|---|---:|---:|"]
    lines = []
    for key, label, unit, target, kind in FIGURES:
        scen = FIGURE_SCENARIO[key.split(".")[0]]
        if scen not in selected:
            continue
        med, cpu, n = {}, {}, {}
        for b in ("Warren", "RabbitMQ"):
            vals = [r["figures"].get(key) for r in runs if r["broker"] == b and r["scenario"] == scen and r.get("ok")]
            med[b] = median_or_none(vals)
            n[b] = len([v for v in vals if v is not None])
            cs = [r["cpu"].get(key) for r in runs if r["broker"] == b and r["scenario"] == scen and r.get("ok")]
            cs = [x for x in cs if x and x.get("broker") is not None and x.get("client") is not None]
            cpu[b] = ("%.0f%% / %.0f%%" % (median_or_none([x["broker"] for x in cs]),
                                           median_or_none([x["client"] for x in cs])) if cs else "")
        ratio = med["Warren"] / med["RabbitMQ"] if med["Warren"] is not None and med["RabbitMQ"] else None
        met = ""
        if target is not None and ratio is not None:
            ok = ratio >= target if kind == "ge" else ratio <= target
            met = "yes" if ok else "**no**"
        elif target is not None:
            met = "n/a"
        lines.append(f"| {label} | {fmt(med['Warren'], unit)} | {fmt(med['RabbitMQ'], unit)} | "
                     f"{'%.2f' % ratio if ratio is not None else '—'} | {fmt_target(target, kind)} | {met} | "
                     f"{cpu['Warren']} | {cpu['RabbitMQ']} |")
    return head + lines


# ------------------------------------------------------------------------------------------------
# build and main

def ensure_built():
    if not os.path.exists(BROKER_JAR):
        log("building the broker jar (mvn -B -q -pl broker -am package -DskipTests)")
        subprocess.run(["mvn", "-B", "-q", "-pl", "broker", "-am", "package", "-DskipTests"], cwd=ROOT, check=True)
    newest_src = 0
    for d, _, files in os.walk(os.path.join(BENCH, "src")):
        for f in files:
            newest_src = max(newest_src, os.path.getmtime(os.path.join(d, f)))
    newest_src = max(newest_src, os.path.getmtime(os.path.join(BENCH, "pom.xml")))
    if not os.path.isdir(LIB) or not os.path.exists(CLIENT_JAR) or os.path.getmtime(CLIENT_JAR) < newest_src:
        log("building the load generators (mvn -B -q -f bench/pom.xml package)")
        subprocess.run(["mvn", "-B", "-q", "-f", os.path.join(BENCH, "pom.xml"), "package"], cwd=ROOT, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 repeat, short runs: a smoke run of about 6 minutes")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of: " + ", ".join(SCENARIOS))
    ap.add_argument("--repeats", type=int, help="repeats per scenario and broker (default 3, --quick 1)")
    ap.add_argument("--brokers", default="Warren,RabbitMQ", help=argparse.SUPPRESS)
    args = ap.parse_args()

    selected = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    bad = [s for s in selected if s not in SCENARIOS]
    if bad:
        ap.error(f"unknown scenario(s) {bad}; known: {', '.join(SCENARIOS)}")
    cfg = ({"warmup": 5, "cost_warmup": 15, "measure": 5, "backlog": 300_000, "backlog_cap": 120, "idle_connections": 500,
            "many_pairs": 200, "repeats": 1} if args.quick else
           {"warmup": 10, "cost_warmup": 40, "measure": 15, "backlog": 1_000_000, "backlog_cap": 240, "idle_connections": 500,
            "many_pairs": 200, "repeats": 3})
    if args.repeats:
        cfg["repeats"] = args.repeats
    brokers = [b for b in args.brokers.split(",") if b]

    ensure_built()
    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    info = machine_info()
    log(f"{info['nproc']} cores, {info['cpu']}, {info['ram']}; scenarios {selected}, {cfg['repeats']} repeat(s)"
        + (" (quick)" if args.quick else ""))
    epmd_before = epmd_running()
    workroot = tempfile.mkdtemp(prefix="warren-bench-")
    os.chmod(workroot, 0o755)  # RabbitMQ runs as the rabbitmq user
    runs = []
    started = datetime.datetime.now()
    current = None

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    interrupted = False
    try:
        for rep in range(cfg["repeats"]):
            order = brokers if rep % 2 == 0 else list(reversed(brokers))
            for scen in selected:
                for bname in order:
                    wd = os.path.join(workroot, f"r{rep + 1}-{scen}-{bname}")
                    os.makedirs(wd)
                    os.chmod(wd, 0o755)
                    broker = Warren(wd) if bname == "Warren" else RabbitMQ(wd)
                    rec = {"broker": bname, "scenario": scen, "repeat": rep + 1, "figures": {}, "cpu": {}}
                    log(f"repeat {rep + 1}/{cfg['repeats']} · {scen} · {bname}: starting broker")
                    t = time.monotonic()
                    current = broker
                    try:
                        broker.start()
                        rec["rss_idle_kb"] = rss_kb(broker.pid)
                        ctx = Ctx(broker, cfg, wd)
                        SCENARIOS[scen](ctx)
                        rec.update(figures=ctx.figures, cpu=ctx.cpu, raw=ctx.raw, ok=True)
                        rec["broker_hwm_kb"] = proc_status_kb(broker.pid, "VmHWM")
                        summary = ", ".join(f"{k.split('.', 1)[1]}={v:,.0f}" for k, v in ctx.figures.items()
                                            if v is not None)
                        log(f"  {bname} {scen}: {summary}")
                    except KeyboardInterrupt:
                        raise
                    except Exception as e:  # noqa: BLE001 - a failed scenario is reported, the run goes on
                        rec.update(ok=False, error=str(e))
                        log(f"  {bname} {scen} FAILED: {e}")
                    finally:
                        for p in list(LIVE):
                            if p is not getattr(broker, "proc", None):
                                reap(p)
                        broker.stop()
                        current = None
                    rec["seconds"] = round(time.monotonic() - t, 1)
                    runs.append(rec)
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: stopping brokers and clients")
    finally:
        for p in list(LIVE):
            reap(p, 5)
        if current is not None:
            current.stop()
        if not epmd_before:
            # epmd was started by RabbitMQ for this run; it refuses to die while a node is still
            # registered, and a node that just stopped may be for a moment: try for a while.
            for _ in range(20):
                if not epmd_running():
                    break
                subprocess.run(["epmd", "-kill"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
                time.sleep(0.5)
        subprocess.run(["rm", "-rf", workroot])

    elapsed = datetime.datetime.now() - started
    title = f"# Warren vs RabbitMQ — {started:%Y-%m-%d %H:%M}" + (" (--quick)" if args.quick else "")
    md = [title, "",
          f"`python3 bench/run.py{' --quick' if args.quick else ''}"
          f"{' --scenarios ' + ','.join(selected) if len(selected) < len(SCENARIOS) else ''}` — "
          f"{cfg['repeats']} repeat(s), medians; {cfg['warmup']} s warm-up ({cfg['cost_warmup']} s for cost) + {cfg['measure']} s measured per run; "
          f"took {str(elapsed).split('.')[0]}" + (" — **interrupted, partial**" if interrupted else ""), "",
          f"- Warren: `java -jar broker/target/warren-broker.jar` (no JVM flags: JDK defaults, "
          f"max heap {info['java_default_max_heap']}), commit {info['warren_commit']}",
          f"- RabbitMQ: {info['rabbitmq']} (Debian), Erlang {info['erlang']}, default config, no plugins "
          f"(scripts/rabbitmq-reference.sh); RSS/CPU of beam.smp",
          f"- load: {info['perftest']}; io.warren.bench.BenchClient for topic, latency, idle connections",
          f"- machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM, {info['kernel']}; "
          f"{info['java']}; load average at start {info['loadavg_at_start']}",
          "",
          "Scenarios and how to read this: README.md, section Benchmarks. "
          "ratio = Warren / RabbitMQ (higher is better for msg/s, lower for µs and KiB). CPU = % of one core "
          "over the measured window: broker process / load-generator process (all on the same machine).",
          ""]
    others = [c["other"] for r in runs if r.get("ok") for c in r["cpu"].values() if c.get("other") is not None]
    if others:
        md[-1:-1] = ["", f"Other processes on the machine used {statistics.median(others):.0f}% of a core (median; "
                     f"max {max(others):.0f}%) during the measured windows"
                     + (" — **the machine was not quiet: treat these numbers as rough**." if max(others) > 25 else
                        ".")]
    md += build_table(runs, selected)
    failed = [r for r in runs if not r.get("ok")]
    if failed:
        md += ["", "Failed runs:"] + [f"- repeat {r['repeat']} {r['scenario']} {r['broker']}: "
                                      f"{r.get('error', '?').splitlines()[0]}" for r in failed]
    md.append("")
    text = "\n".join(md)
    md_path = os.path.join(RESULTS, f"{stamp}.md")
    with open(md_path, "w") as f:
        f.write(text)
    with open(os.path.join(RESULTS, f"{stamp}.json"), "w") as f:
        json.dump({"config": cfg, "machine": info, "scenarios": selected, "interrupted": interrupted,
                   "elapsed_s": elapsed.total_seconds(), "runs": runs}, f, indent=1, default=str)
    print(text)
    log(f"wrote {os.path.relpath(md_path, ROOT)} and .json")
    return 130 if interrupted else (1 if failed else 0)


if __name__ == "__main__":
    sys.exit(main())
