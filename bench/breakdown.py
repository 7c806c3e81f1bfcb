"""Where a batch's CPU seconds go, by process and by kind of work: `grader grade` (or any
command) under `perf record`, its samples split by the role of the process that took them.

    python bench/breakdown.py [--hz 499] -- grader grade CLASS --out OUT --key K --workers 2
    python bench/breakdown.py --hz 499 --data FILE      # a recording made before

Roles come from the process tree perf records (fork and exec events): the grader's main
process, the grading processes (forked by it), the zygote (the `python -I` it starts), the warm
zygote (forked by the zygote, it forks most workers) and the workers. Kinds come from each
sample's call chain (kernel symbols: page faults, forks, namespaces, cgroups...) or, failing
that, from the library it was in (torch's kernels, the Python interpreter, libc). Python-level
splits (pytest, expected values) need cProfile: perf sees only C frames of Python 3.11.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = [  # (kind, any of these in the call chain); the first that matches wins
    ("exit and teardown", ["do_exit", "exit_mmap", "__x64_sys_exit_group"]),
    ("fork", ["copy_process", "kernel_clone"]),
    ("copy-on-write page faults", ["wp_page_copy", "do_wp_page", "do_huge_pmd_wp_page"]),
    ("other page faults", ["asm_exc_page_fault"]),
    ("namespaces", ["unshare", "setns", "copy_net_ns", "create_new_namespaces", "cleanup_net"]),
    ("cgroups", ["cgroup_"]),
    ("landlock", ["landlock"]),
    ("seccomp", ["seccomp"]),
    ("huge page folding", ["madvise_collapse", "collapse_", "khugepaged"]),
    ("exec and dynamic loading", ["do_execve", "_dl_", "load_elf"]),
    ("other system calls", ["entry_SYSCALL_64"]),
]
TORCH = ("libtorch", "libgomp", "mkl", "libc10", "libsleef", "dnnl")


def _tree(data: Path) -> tuple[dict[int, int], dict[int, list[str]]]:
    """(parent of each forked process, what each process exec'd) from perf's task events."""
    events = subprocess.run(
        ["perf", "script", "-i", str(data), "--show-task-events", "-F", "pid,tid,event"],
        capture_output=True,
        text=True,
    ).stdout
    parent, execd = {}, collections.defaultdict(list)
    for line in events.splitlines():
        fork = re.search(r"PERF_RECORD_FORK\((\d+):(\d+)\):\((\d+):(\d+)\)", line)
        if fork:
            child, thread, father, _ = map(int, fork.groups())
            if child == thread and child != father:
                parent[child] = father
        name = re.search(r"PERF_RECORD_COMM exec: (.*):(\d+)/", line)
        if name:
            execd[int(name.group(2))].append(name.group(1))
    return parent, execd


def roles(parent: dict[int, int], execd: dict[int, list[str]]) -> dict[int, str]:
    children = collections.defaultdict(list)
    for child, father in parent.items():
        children[father].append(child)
    root = min(p for p in execd if parent.get(p) not in execd)
    role = {root: "grader main"}
    waiting = [root]
    while waiting:
        father = waiting.pop()
        for child in children[father]:
            mine = role[father]
            if execd.get(child):
                forks = len(children[child]) > 3  # not a helper such as ldconfig
                role[child] = "zygote" if mine == "grader main" and forks else "execs"
            elif mine == "grader main":
                role[child] = "grading processes"
            elif mine == "zygote" and len(children[child]) > 3:
                role[child] = "warm zygote"
            elif mine in ("zygote", "warm zygote"):
                role[child] = "workers"
            else:
                role[child] = f"forked by {mine}"
            waiting.append(child)
    return role


def _kind(frames: list[str]) -> str:
    chain = " ".join(frames)
    for kind, keys in KINDS:
        if any(key in chain for key in keys):
            return kind
    library = re.search(r"\((.*)\)$", frames[0]) if frames else None
    name = library.group(1).rsplit("/", 1)[-1] if library else "?"
    if any(t in name for t in TORCH) or name.startswith("perf-"):  # perf-PID.map: oneDNN's JIT
        return "torch's kernels"
    if "libpython" in name:
        return "Python interpreter"
    if name.startswith("libc.so"):
        return "libc"
    return "kernel, other" if "kernel" in name else "other libraries"


def breakdown(data: Path, hz: float) -> str:
    role = roles(*_tree(data))
    samples = subprocess.run(
        ["perf", "script", "-i", str(data), "-F", "pid,ip,sym,dso"], capture_output=True, text=True
    ).stdout
    tally: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    processes: dict[str, set[int]] = collections.defaultdict(set)
    pid, frames = None, []

    def flush() -> None:
        if pid is not None:
            who = role.get(pid, "unknown")
            processes[who].add(pid)
            tally[who][_kind(frames)] += 1

    for line in samples.splitlines():
        if line.strip() and not line.startswith("\t"):
            flush()
            pid, frames = int(line.split()[0]), []
        elif line.strip():
            frames.append(line.strip())
    flush()
    total = sum(sum(c.values()) for c in tally.values())
    rows = [f"| process (count) | CPU s | kind: CPU s | ({total / hz:.1f} CPU s in all) |"]
    rows.append("|---|---|---|---|")
    for who, kinds in sorted(tally.items(), key=lambda kv: -sum(kv[1].values())):
        split = ", ".join(f"{k} {n / hz:.2f}" for k, n in kinds.most_common(8) if n / hz >= 0.05)
        rows.append(f"| {who} ({len(processes[who])}) | {sum(kinds.values()) / hz:.2f} | {split} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hz", type=float, default=499)
    parser.add_argument("--data", type=Path, help="a perf.data recorded before")
    parser.add_argument("command", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="breakdown-") as folder:
        data = args.data or Path(folder) / "perf.data"
        if not args.data:
            record = ["perf", "record", "-q", "-e", "cpu-clock", "-F", str(int(args.hz)), "-g"]
            subprocess.run([*record, "-o", str(data), "--", *args.command], check=False)
        print(breakdown(data, args.hz))


if __name__ == "__main__":
    sys.exit(main())
