"""Benchmark the ETL pipeline: seed build, unchanged rebuild, and a synthetic corpus.

    .venv/bin/python bench/bench_pipeline.py            # N = 1000 synthetic reports
    .venv/bin/python bench/bench_pipeline.py --quick    # N = 100
    .venv/bin/python bench/bench_pipeline.py --n 400 --profile 5

Prints numbers (this is not a test: nothing fails on a missed target) and writes them as JSON
to bench/results/pipeline.json.

The synthetic corpus perturbs the five seed reports in data/raw/: the regency is renamed to
another kabupaten from pipeline/domain/regencies.yaml, tables are re-encoded between TSV,
markdown pipe and HTML syntax, and some reports have two chapters swapped. Generation is
deterministic for a given --seed. The pieces of a table that a page break split get the same
new syntax (a real converter would not mix them); --split-continuations mixes them too.

Memory: a build of the corpus runs in a child process under /usr/bin/time -v (if present).
"Maximum resident set size" from time(1) (and RUSAGE_CHILDREN) is the largest *single*
process of the tree, not the sum; the sum over the tree is sampled from /proc while it runs
(RSS sum over-counts the pages that forked workers share with the parent; PSS does not).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import html
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw"
GAZETTEER = ROOT / "pipeline" / "domain" / "regencies.yaml"
RESULTS = ROOT / "bench" / "results" / "pipeline.json"
TIME_BIN = Path("/usr/bin/time")

# seed file -> regency named in it (the manifest in data/raw/ says the same)
SEED_REGENCIES = {
    "000_dca929226cb0e028.txt": "Muara Enim",
    "001_579666cb9ad43d5a.txt": "Paser",
    "002_62e370906eecf592.txt": "Bungo",
    "003_27142058ae3706f5.txt": "Lumajang",
    "004_d4a71ffeee09fb98.txt": "Tanjung Jabung Barat",
}
# kabupaten names that are also everyday words (see the comments in regencies.yaml)
ORDINARY_WORDS = {"bone", "buru", "agam", "batu", "metro", "solo", "aru", "tala", "sula"}

TARGET_SEED_BUILD_S = 2.0
TARGET_REBUILD_WORK_S = 0.5
TARGET_1000_S = 60.0
FLAT_MEMORY_RATIO = 1.25  # peak(N) / peak(N/4) at or below this counts as flat


# ----------------------------------------------------------------------------- helpers

def run_cmd(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    return time.perf_counter() - t0, proc


def build_cmd(raw: Path, db: Path, force: bool) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", "build", "--raw", str(raw), "--db", str(db), "--quiet"]
    return cmd + ["--force"] if force else cmd


def check(proc: subprocess.CompletedProcess, what: str) -> None:
    if proc.returncode != 0:
        sys.exit(f"{what} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def spread(values: list[float]) -> dict:
    return {"best": min(values), "median": statistics.median(values), "runs": values}


def mb(kb: float | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


# ----------------------------------------------------------------------------- 1 + 2: CLI timings

def bench_seed_build(repeats: int) -> dict:
    """Fresh process, fresh temp dir (no cache), --force: wall clock including interpreter start."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench_seed_") as tmp:
            secs, proc = run_cmd(build_cmd(Path("data/raw"), Path(tmp) / "w.duckdb", force=True))
            check(proc, "seed build")
            times.append(secs)
    return spread(times)


def bench_rebuild(repeats: int) -> dict:
    """Build once, then time the same command without --force: it must say 'up to date'."""
    with tempfile.TemporaryDirectory(prefix="bench_rebuild_") as tmp:
        db = Path(tmp) / "w.duckdb"
        check(run_cmd(build_cmd(Path("data/raw"), db, force=True))[1], "seed build")
        times, inner, up_to_date = [], [], True
        for _ in range(repeats):
            secs, proc = run_cmd(build_cmd(Path("data/raw"), db, force=False))
            check(proc, "rebuild")
            out = " ".join(proc.stdout.split())  # rich wraps lines at 80 columns
            up_to_date &= "up to date" in out
            m = re.search(r"up to date.*?(\d+\.\d+)s", out)
            if m:
                inner.append(float(m.group(1)))
            times.append(secs)
    return {**spread(times), "up_to_date": up_to_date, "run_seconds_reported": inner}


def bench_startup(repeats: int) -> dict:
    """Interpreter + import overhead: what any CLI call pays before doing work."""
    out = {}
    for label, code in (("python", "pass"), ("import pipeline.build", "import pipeline.build"),
                        ("import pipeline.cli", "import pipeline.cli")):
        times = []
        for _ in range(repeats):
            secs, proc = run_cmd([sys.executable, "-c", code])
            check(proc, label)
            times.append(secs)
        out[label] = spread(times)
    return out


# ----------------------------------------------------------------------------- 3: synthetic corpus

@dataclass
class Gazetteer:
    kabupaten: list[str]
    all_names: list[str]  # every unit name, alias and province name/alias

    @classmethod
    def load(cls, path: Path = GAZETTEER) -> "Gazetteer":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["provinces"]
        kab, names = [], []
        for prov, spec in data.items():
            names += [prov, *(spec.get("aliases") or [])]
            for kind in ("kabupaten", "kota"):
                for unit in spec.get(kind) or []:
                    names += [unit["name"], *(unit.get("aliases") or [])]
                    if kind == "kabupaten":
                        kab.append(unit["name"])
        return cls(kab, names)


def replacement_pool(gaz: Gazetteer, seed_texts: list[str]) -> list[str]:
    """Kabupaten names safe to substitute: not already in any seed text, not part of another
    gazetteer name, not an everyday word, not shared with a kota."""
    corpus = "\n".join(seed_texts).lower()
    others = [n.lower() for n in gaz.all_names]
    pool = []
    for name in gaz.kabupaten:
        low = name.lower()
        if len(low) < 4 or low in ORDINARY_WORDS or low in corpus:
            continue
        if others.count(low) > 1:  # same name as a kota (Bandung, Bogor, ...) or an alias
            continue
        if any(low in o and o != low for o in others):  # Pidie in Pidie Jaya, Bone in Bone Bolango
            continue
        if not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+){0,3}", name):
            continue
        pool.append(name)
    return sorted(pool)


def rename_regency(text: str, old: str, new: str, gaz: Gazetteer) -> tuple[str, int]:
    """Replace every whole-word `old` (any case, spaces/tabs between words) with `new` in the
    same case; longer gazetteer names containing `old` (Penajam Paser Utara) are left alone."""
    word = r"[ \t\u00a0]+".join(re.escape(w) for w in old.split())
    protected = sorted(
        {n for n in gaz.all_names if n.lower() != old.lower() and re.search(rf"\b{re.escape(old)}\b", n, re.I)},
        key=len, reverse=True,
    )
    alts = [r"[ \t\u00a0]+".join(re.escape(w) for w in p.split()) for p in protected]
    start = r"(?:\b|(?<=kabupaten))"  # also "KabupatenPaser", a PDF-to-text join
    hit = r"(?P<hit>" + word + r")"
    body = r"(?:(?P<keep>" + "|".join(alts) + r")|" + hit + ")" if alts else hit
    pattern = re.compile(start + body + r"\b", re.I)
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        if m.groupdict().get("keep"):
            return m.group(0)
        count += 1
        s = m.group("hit")
        return new.upper() if s.isupper() else new.lower() if s.islower() else new

    return pattern.sub(sub, text), count


# --- tables

FLAT_CELL = re.compile(r"^ ?\t(?!.*\t)")  # a flattened one-cell-per-line row, not TSV
PIPE_LINE = re.compile(r"^\s*\|.*\|\s*$")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def is_tsv_line(line: str) -> bool:
    if "\t" not in line or FLAT_CELL.match(line):
        return False
    cells = line.split("\t")
    return len(cells) >= 2 and any(c.strip() for c in cells)


def split_pipe(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", body)]


def find_table_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, 'tsv' | 'pipe') for runs of >= 2 table lines."""
    blocks, i, n = [], 0, len(lines)
    while i < n:
        kind = "tsv" if is_tsv_line(lines[i]) else "pipe" if PIPE_LINE.match(lines[i]) else None
        if kind is None:
            i += 1
            continue
        test = is_tsv_line if kind == "tsv" else PIPE_LINE.match
        j = i
        while j < n and test(lines[j]):
            j += 1
        if j - i >= 2:
            blocks.append((i, j, kind))
        i = j
    return blocks


def table_rows(block: list[str], kind: str) -> list[list[str]]:
    if kind == "tsv":
        return [[c.strip() for c in ln.split("\t")] for ln in block]
    return [split_pipe(ln) for ln in block if not PIPE_SEPARATOR.match(ln)]


def render_tsv(rows: list[list[str]]) -> list[str]:
    # an all-empty spacer row ("| | |") would be a tab-only line, which ends a TSV table
    return ["\t".join(r) for r in rows if any(r)] or ["\t".join(rows[0])]


def render_pipe(rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return out[:1] + ["|" + "---|" * len(rows[0])] + out[1:]


def render_html(rows: list[list[str]]) -> list[str]:
    out = ["<tr>" + "".join(f"<td>{html.escape(c, quote=False)}</td>" for c in r) + "</tr>" for r in rows]
    out[0] = "<table>" + out[0]
    out[-1] += "</table>"
    return out


RENDER = {"tsv": render_tsv, "pipe": render_pipe, "html": render_html}


CONTINUATION_GAP = 14  # lines between two pieces of one table split by a page break


def continues(lines: list[str], prev_end: int, start: int) -> bool:
    """Only page furniture between two table pieces: blank lines and at most three short lines
    (page number, running header). Groups a few distinct tables too, which is harmless."""
    between = [x.strip() for x in lines[prev_end:start] if x.strip()]
    return start - prev_end <= CONTINUATION_GAP and len(between) <= 3 and all(len(x) < 120 for x in between)


def reencode_tables(lines: list[str], rng: random.Random, split_continuations: bool = False
                    ) -> tuple[list[str], dict[str, int]]:
    """Each TSV table becomes pipe or HTML, each pipe table TSV or HTML (chosen per table).
    The pieces of a table split by a page break get the same syntax, as a real converter would
    give them, unless split_continuations."""
    out, pos, counts, prev = [], 0, {}, None
    for start, end, kind in find_table_blocks(lines):
        rows = table_rows(lines[start:end], kind)
        if prev and prev[1] == kind and not split_continuations and continues(lines, prev[0], start):
            target = prev[2]
        else:
            target = rng.choice(["pipe", "html"] if kind == "tsv" else ["tsv", "html"])
        out += lines[pos:start] + (RENDER[target](rows) if rows else lines[start:end])
        counts[f"{kind}->{target}"] = counts.get(f"{kind}->{target}", 0) + 1
        pos, prev = end, (end, kind, target)
    return out + lines[pos:], counts


# --- chapters

CHAPTER = re.compile(r"^\W*BAB [IVX]+\b", re.I)
MIN_CHAPTER_LINES = 20  # shorter "chapters" are table-of-contents entries, not chapters


def chapter_blocks(lines: list[str]) -> list[int]:
    """Line indexes of chapter headings (table rows such as a TOC are not headings)."""
    return [i for i, ln in enumerate(lines)
            if CHAPTER.match(ln) and "\t" not in ln and not ln.lstrip().startswith("|")]


def swap_chapters(lines: list[str], rng: random.Random) -> tuple[list[str], str | None]:
    """Swap two chapter blocks (heading to next heading); front matter stays first."""
    heads = chapter_blocks(lines)
    if not heads:
        return lines, None
    bounds = list(zip(heads, heads[1:] + [len(lines)]))
    long = [k for k, (a, b) in enumerate(bounds) if b - a >= MIN_CHAPTER_LINES]
    if len(long) < 2:
        return lines, None
    x, y = sorted(rng.sample(long, 2))
    order = list(range(len(bounds)))
    order[x], order[y] = order[y], order[x]
    out = lines[: heads[0]]
    for k in order:
        a, b = bounds[k]
        out += lines[a:b]
    label = lambda k: lines[bounds[k][0]].strip()[:30]  # noqa: E731
    return out, f"{label(x)} <-> {label(y)}"


# --- one synthetic report

@dataclass
class Synthetic:
    name: str
    seed_file: str
    regency: str
    renamed: int
    tables: dict[str, int] = field(default_factory=dict)
    swapped: str | None = None


def perturb(text: str, seed_file: str, new_regency: str, rng: random.Random, gaz: Gazetteer,
            swap_probability: float = 0.5, split_continuations: bool = False) -> tuple[str, Synthetic]:
    trailing = text.endswith("\n")
    text, renamed = rename_regency(text, SEED_REGENCIES[seed_file], new_regency, gaz)
    lines = text.split("\n")[:-1] if trailing else text.split("\n")
    swapped = None
    if rng.random() < swap_probability:
        lines, swapped = swap_chapters(lines, rng)
    lines, tables = reencode_tables(lines, rng, split_continuations)
    out = "\n".join(lines) + ("\n" if trailing else "")
    return out, Synthetic("", seed_file, new_regency, renamed, tables, swapped)


def make_corpus(n: int, out_dir: Path, seed: int, split_continuations: bool = False) -> list[Synthetic]:
    """Write synthetic_0000.txt ... into out_dir; report i derives from seed report i % 5."""
    gaz = Gazetteer.load()
    seeds = {name: (SEED_DIR / name).read_text(encoding="utf-8") for name in SEED_REGENCIES}
    pool = replacement_pool(gaz, list(seeds.values()))
    out_dir.mkdir(parents=True, exist_ok=True)
    names = sorted(seeds)
    made, digests = [], set()
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        seed_file = names[i % len(names)]
        for _ in range(50):  # redraw in the (unlikely) case of a byte-identical twin
            text, meta = perturb(seeds[seed_file], seed_file, rng.choice(pool), rng, gaz,
                                 split_continuations=split_continuations)
            data = text.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()
            if digest not in digests:
                break
        digests.add(digest)
        data.decode("utf-8")  # stays valid UTF-8 by construction; assert it anyway
        meta.name = f"synthetic_{i:04d}.txt"
        (out_dir / meta.name).write_bytes(data)
        made.append(meta)
    return made


def copy_subset(src: Path, dst: Path, names: list[str]) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(src / name, dst / name)


# ----------------------------------------------------------------------------- 4: timed + measured builds

def child_build(raw: Path, db: Path, out: Path, workers: int | None) -> None:
    """Runs inside the measured child process: the library build, summarised as JSON.
    The load steps run() calls are wrapped with timers (in this process only) to split the time."""
    import pipeline.build as build
    import pipeline.warehouse.export as export
    from pipeline.warehouse.load import WarehouseWriter

    phases: dict[str, float] = {}
    memory: dict[str, int] = {"start": _maxrss_mb()}  # main process peak RSS (MB) after each phase
    # rows stream into the warehouse while reports are read (inside "read+extract reports");
    # "load: finish" is the last batch and the contract checks (seal; the swaps are renames);
    # "export_all" writes the exports from the new warehouse before it is swapped in
    WarehouseWriter.seal = _timed(WarehouseWriter.seal, "load: finish", phases, memory)
    export.write_exports = _timed(export.write_exports, "export_all", phases, memory)
    last = [0.0]

    def progress(_name: str) -> None:
        last[0] = time.perf_counter()
        memory["read+extract reports"] = _maxrss_mb()

    t0 = time.perf_counter()
    outcome = build.run(raw, db, force=True, workers=workers, export=True, on_progress=progress)
    phases = {"read+extract reports": last[0] - t0, **phases}
    per_file = {
        r.report["source_file"]: {
            "regency": r.report["regency"], "province": r.report["province"],
            "report_year": r.report["report_year"], "period": r.report["period"],
            "n_observations": r.report["n_observations"], "n_tables": r.report["n_tables"],
        }
        for r in outcome.results
    }
    out.write_text(json.dumps({
        "seconds": outcome.seconds,
        "phases": {k: round(v, 3) for k, v in phases.items()},
        "main_peak_mb_after": dict(sorted(memory.items(), key=lambda kv: kv[1])),
        "n_results": len(outcome.results),
        "cached": outcome.cached,
        "problems": [asdict(p) for p in outcome.problems],
        "per_file": per_file,
        "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }), encoding="utf-8")


def _maxrss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _timed(fn, name: str, sink: dict[str, float], memory: dict[str, int]):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sink[name] = sink.get(name, 0.0) + time.perf_counter() - t0
            memory[name] = _maxrss_mb()
    return wrapper


class TreeSampler(threading.Thread):
    """Polls /proc for the process tree under `root` and keeps the peak RSS and PSS sums."""

    def __init__(self, root: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.peak_procs = 0
        self._halt = threading.Event()

    @staticmethod
    def _parents() -> dict[int, int]:
        parents = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    stat = Path(f"/proc/{d}/stat").read_text()
                    parents[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        return parents

    @staticmethod
    def _field_kb(path: str, key: str) -> int:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _tree(self) -> list[int]:
        parents = self._parents()
        tree, frontier = [self.root], [self.root]
        while frontier:
            frontier = [p for p, pp in parents.items() if pp in frontier]
            tree += frontier
        return tree

    def run(self) -> None:
        while not self._halt.is_set():
            pids = self._tree()
            rss = sum(self._field_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
            pss = sum(self._field_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measured_build(raw: Path, workers: int | None) -> dict:
    """Library build of `raw` in a fresh temp dir, in a child process; time + memory."""
    with tempfile.TemporaryDirectory(prefix="bench_corpus_db_") as tmp:
        out = Path(tmp) / "outcome.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(raw), str(Path(tmp) / "w.duckdb"), str(out)]
        if workers:
            cmd += ["--workers", str(workers)]
        use_time = TIME_BIN.exists()
        if use_time:
            cmd = [str(TIME_BIN), "-v"] + cmd
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        sampler.stop()
        if proc.returncode != 0:
            sys.exit(f"corpus build failed (exit {proc.returncode}):\n{stdout[-2000:]}\n{stderr[-3000:]}")
        result = json.loads(out.read_text(encoding="utf-8"))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr) if use_time else None
    result.update({
        "wall_seconds": wall,
        "time_v_maxrss_kb": int(m.group(1)) if m else None,
        # without time(1): RUSAGE_CHILDREN of this process = max over the child and its workers
        "rusage_children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "tree_peak_rss_sum_kb": sampler.peak_rss_kb,
        "tree_peak_pss_sum_kb": sampler.peak_pss_kb,
        "tree_peak_processes": sampler.peak_procs,
    })
    return result


# ----------------------------------------------------------------------------- 5: extraction check

def extraction_check(corpus: list[Synthetic], built: dict, seeds: dict) -> dict:
    seed_obs = {f: seeds["per_file"][f]["n_observations"] for f in SEED_REGENCIES if f in seeds["per_file"]}
    errors = [p for p in built["problems"] if p["severity"] == "error"]
    loaded = built["per_file"]
    ratios, by_seed, by_swap, wrong_regency, wrong_year = [], {}, {"swapped": [], "not swapped": []}, [], []
    lowest: list[tuple[float, str]] = []
    for s in corpus:
        got = loaded.get(s.name)
        if got is None or not seed_obs.get(s.seed_file):
            continue
        ratio = got["n_observations"] / seed_obs[s.seed_file]
        ratios.append(ratio)
        lowest.append((ratio, f"{s.name} ({SEED_REGENCIES[s.seed_file]} -> {s.regency}): {got['n_observations']} of "
                              f"{seed_obs[s.seed_file]} observations; tables {s.tables}; swapped: {s.swapped}"))
        by_seed.setdefault(SEED_REGENCIES[s.seed_file], []).append(ratio)
        by_swap["swapped" if s.swapped else "not swapped"].append(ratio)
        if got["regency"] != s.regency:
            wrong_regency.append(f"{s.name}: expected {s.regency}, detected {got['regency']}")
        if got["report_year"] != seeds["per_file"][s.seed_file]["report_year"]:
            wrong_year.append(f"{s.name}: {got['report_year']} (seed {seeds['per_file'][s.seed_file]['report_year']})")
    counts = [v["n_observations"] for v in loaded.values()]
    mean = lambda xs: round(statistics.fmean(xs), 3) if xs else None  # noqa: E731
    return {
        "n_synthetic": len(corpus),
        "loaded": len(loaded),
        "skipped": len(errors),
        "skip_codes": {c: sum(p["code"] == c for p in errors) for c in sorted({p["code"] for p in errors})},
        "first_skips": [p["message"] for p in errors[:5]],
        "file_warnings": {c: sum(p["code"] == c for p in built["problems"] if p["severity"] != "error")
                          for c in sorted({p["code"] for p in built["problems"] if p["severity"] != "error"})},
        "obs_synthetic": {"min": min(counts), "median": statistics.median(counts), "max": max(counts)} if counts else None,
        "obs_seed": {"min": min(seed_obs.values()), "median": statistics.median(seed_obs.values()),
                     "max": max(seed_obs.values()), "per_seed": {SEED_REGENCIES[f]: n for f, n in seed_obs.items()}},
        "mean_ratio": mean(ratios),
        "min_ratio": round(min(ratios), 3) if ratios else None,
        "mean_ratio_by_seed": {k: mean(v) for k, v in sorted(by_seed.items())},
        "mean_ratio_by_swap": {k: mean(v) for k, v in by_swap.items()},
        "below_0.9": sum(r < 0.9 for r in ratios),
        "lowest_examples": [text for _, text in sorted(lowest)[:3]],
        "regency_misdetected": len(wrong_regency),
        "regency_misdetected_examples": wrong_regency[:5],
        "year_changed": len(wrong_year),
        "year_changed_examples": wrong_year[:5],
    }


# ----------------------------------------------------------------------------- optional profile

def profile_reports(raw: Path, names: list[str], top: int = 20) -> str:
    from pipeline.raw.decode import read_report
    from pipeline.report import process_report

    reports = [read_report(raw / n) for n in names]
    process_report(reports[0], reports[0].name)  # warm the caches (gazetteer, compiled patterns)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for r in reports:
        process_report(r, r.name)
    prof.disable()
    secs = time.perf_counter() - t0
    buf = io.StringIO()
    buf.write(f"process_report on {len(reports)} reports: {secs:.2f}s ({secs / len(reports) * 1000:.0f} ms/report)\n")
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# ----------------------------------------------------------------------------- report

def summary_rows(res: dict) -> list[tuple[str, str, str]]:
    seed, reb, start = res["seed_build"], res["rebuild"], res["startup"]
    imp = start["import pipeline.build"]["best"]
    rows = [
        ("seed build, 5 reports (CLI, fresh process)", f"best {seed['best']:.2f}s  median {seed['median']:.2f}s", f"< {TARGET_SEED_BUILD_S:.0f} s"),
        ("unchanged rebuild (CLI)", f"best {reb['best']:.2f}s  median {reb['median']:.2f}s  up_to_date={reb['up_to_date']}", ""),
        ("  interpreter alone / import pipeline.build / pipeline.cli",
         f"{start['python']['best']:.2f}s / {start['import pipeline.build']['best']:.2f}s / {start['import pipeline.cli']['best']:.2f}s", ""),
        ("  rebuild work beyond start-up (total - import pipeline.build)", f"{reb['best'] - imp:.2f}s "
         f"(run() itself: {min(reb['run_seconds_reported'] or [float('nan')]):.2f}s)", f"< {TARGET_REBUILD_WORK_S} s"),
    ]
    lib = res.get("seed_library_build")
    if lib:
        rows.append(("seed build via run() in-process (no interpreter start)",
                     f"{lib['seconds']:.2f}s: " + ", ".join(f"{k} {v:.2f}" for k, v in lib["phases"].items()), ""))
    for b in res["corpus_builds"]:
        n = b["n_reports"]
        rows += [
            (f"corpus build N={n} (run(), export=True)", f"{b['seconds']:.1f}s in run(), {b['wall_seconds']:.1f}s wall, "
             f"{n / b['seconds']:.1f} reports/s", f"1000 < {TARGET_1000_S:.0f} s" if n >= 1000 else ""),
            ("  phases (s)", ", ".join(f"{k} {v:.1f}" for k, v in b["phases"].items()), ""),
            (f"  peak memory N={n}", f"largest process {mb(b['time_v_maxrss_kb'] or b['rusage_children_maxrss_kb'])} "
             f"(main {mb(b['maxrss_self_kb'])}, largest worker {mb(b['maxrss_children_kb'])}); "
             f"tree sum PSS {mb(b['tree_peak_pss_sum_kb'])}, RSS {mb(b['tree_peak_rss_sum_kb'])}", ""),
        ]
    if res.get("memory_flat"):
        f = res["memory_flat"]
        rows.append(("memory N/4 -> N (largest process / tree PSS)",
                     f"x{f['largest_process_ratio']:.2f} / x{f['tree_pss_ratio']:.2f}", f"flat (<= x{FLAT_MEMORY_RATIO})"))
    e = res["extraction"]
    rows += [
        ("synthetic reports loaded / skipped", f"{e['loaded']} / {e['skipped']} of {e['n_synthetic']}", "all load"),
        ("observations per report, synthetic min/med/max",
         f"{e['obs_synthetic']['min']}/{e['obs_synthetic']['median']}/{e['obs_synthetic']['max']}" if e["obs_synthetic"] else "n/a", ""),
        ("observations per report, seeds min/med/max", f"{e['obs_seed']['min']}/{e['obs_seed']['median']}/{e['obs_seed']['max']}", ""),
        ("mean ratio synthetic/seed observations", f"{e['mean_ratio']} (min {e['min_ratio']})", "~1.0"),
        ("regency misdetected / year changed", f"{e['regency_misdetected']} / {e['year_changed']}", "0 / 0"),
    ]
    return rows


def print_table(rows: list[tuple[str, str, str]]) -> None:
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    print(f"{'metric':<{w0}}  {'measured':<{w1}}  target")
    print("-" * (w0 + w1 + 12))
    for a, b, c in rows:
        print(f"{a:<{w0}}  {b:<{w1}}  {c}")


# ----------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="synthetic reports (default 1000)")
    ap.add_argument("--quick", action="store_true", help="N = 100")
    ap.add_argument("--seed", type=int, default=20240601, help="random seed of the corpus")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each CLI timing")
    ap.add_argument("--workers", type=int, default=None, help="run(workers=...) for the corpus builds")
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="cProfile process_report on K synthetic reports")
    ap.add_argument("--split-continuations", action="store_true",
                    help="re-encode each piece of a page-split table independently (mixes syntaxes within one table)")
    ap.add_argument("--corpus-dir", type=Path, help="write the corpus here (kept) instead of a temp dir")
    ap.add_argument("--child-build", nargs=3, metavar=("RAW", "DB", "OUT"), help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child_build:
        raw, db, out = map(Path, args.child_build)
        child_build(raw, db, out, args.workers)
        return
    n = 100 if args.quick else args.n
    res: dict = {"n": n, "seed": args.seed, "split_continuations": args.split_continuations, "cpus": os.cpu_count(), "python": sys.version.split()[0],
                 "time_v": TIME_BIN.exists(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}

    section(f"1. seed build: 5 reports, fresh process, --force (best of {args.repeats})")
    res["seed_build"] = bench_seed_build(args.repeats)
    print(f"best {res['seed_build']['best']:.2f}s  median {res['seed_build']['median']:.2f}s   target < {TARGET_SEED_BUILD_S} s")

    section("2. unchanged rebuild (no --force) and start-up overhead")
    res["rebuild"] = bench_rebuild(args.repeats)
    res["startup"] = bench_startup(max(5, args.repeats))  # start-up is noisy: more runs
    for label, s in res["startup"].items():
        print(f"  {label:<24} best {s['best']:.2f}s")
    imp = res["startup"]["import pipeline.build"]["best"]
    print(f"rebuild best {res['rebuild']['best']:.2f}s (up to date: {res['rebuild']['up_to_date']}); "
          f"beyond python -c \"import pipeline.build\": {res['rebuild']['best'] - imp:.2f}s   target < {TARGET_REBUILD_WORK_S} s")

    tmp_root = Path(tempfile.mkdtemp(prefix="bench_corpus_"))
    try:
        corpus_dir = args.corpus_dir or tmp_root / "full"
        if corpus_dir.exists() and any(corpus_dir.iterdir()):
            sys.exit(f"{corpus_dir} is not empty")
        section(f"3. synthetic corpus: {n} reports (seed {args.seed})")
        t0 = time.perf_counter()
        corpus = make_corpus(n, corpus_dir, args.seed, args.split_continuations)
        res["corpus"] = {
            "seconds_to_generate": time.perf_counter() - t0,
            "swapped": sum(bool(s.swapped) for s in corpus),
            "tables": {k: sum(s.tables.get(k, 0) for s in corpus) for k in sorted({k for s in corpus for k in s.tables})},
            "distinct_regencies": len({s.regency for s in corpus}),
            "bytes": sum((corpus_dir / s.name).stat().st_size for s in corpus),
        }
        c = res["corpus"]
        print(f"generated in {c['seconds_to_generate']:.1f}s, {c['bytes'] / 1e6:.1f} MB; {c['distinct_regencies']} regency names; "
              f"{c['swapped']} with two chapters swapped; tables {c['tables']}")

        section("4. corpus builds with run() in a child process (time + memory)")
        seeds = measured_build(SEED_DIR, args.workers)
        print(f"seed reports via run() (5 files): {seeds['seconds']:.2f}s in run(); phases {seeds['phases']}")
        res["corpus_builds"] = []
        sizes = sorted({max(1, n // 4), n})
        for size in sizes:
            raw = corpus_dir if size == n else tmp_root / f"first_{size}"
            if size != n:
                copy_subset(corpus_dir, raw, [s.name for s in corpus[:size]])
            b = measured_build(raw, args.workers)
            b["n_reports"] = size
            res["corpus_builds"].append(b)
            print(f"N={size:>5}: {b['seconds']:.1f}s in run() ({size / b['seconds']:.1f} reports/s), {b['wall_seconds']:.1f}s wall; "
                  f"largest process {mb(b['time_v_maxrss_kb'])} (main {mb(b['maxrss_self_kb'])}, largest worker "
                  f"{mb(b['maxrss_children_kb'])}); tree sum PSS {mb(b['tree_peak_pss_sum_kb'])} / RSS {mb(b['tree_peak_rss_sum_kb'])}"
                  f" over up to {b['tree_peak_processes']} processes")
            print(f"         phases (s): {b['phases']}")
            print(f"         main process peak RSS (MB) after: {b['main_peak_mb_after']}")
        if len(res["corpus_builds"]) == 2:
            small, big = res["corpus_builds"]
            res["memory_flat"] = {
                "largest_process_ratio": (big["time_v_maxrss_kb"] or big["rusage_children_maxrss_kb"])
                / (small["time_v_maxrss_kb"] or small["rusage_children_maxrss_kb"]),
                "main_process_ratio": big["maxrss_self_kb"] / small["maxrss_self_kb"],
                "largest_worker_ratio": big["maxrss_children_kb"] / max(1, small["maxrss_children_kb"]),
                "tree_pss_ratio": big["tree_peak_pss_sum_kb"] / max(1, small["tree_peak_pss_sum_kb"]),
            }
            f = res["memory_flat"]
            print(f"memory N/4 -> N: largest process x{f['largest_process_ratio']:.2f}, main x{f['main_process_ratio']:.2f}, "
                  f"largest worker x{f['largest_worker_ratio']:.2f}, tree PSS x{f['tree_pss_ratio']:.2f}   target: flat (<= x{FLAT_MEMORY_RATIO})")

        section("5. extraction on the perturbed reports")
        e = res["extraction"] = extraction_check(corpus, res["corpus_builds"][-1], seeds)
        print(f"loaded {e['loaded']} of {e['n_synthetic']}, skipped {e['skipped']} {e['skip_codes']}; "
              f"file-level warnings {e['file_warnings']}")
        for msg in e["first_skips"]:
            print(f"  skip: {msg[:300]}")
        print(f"observations per report: synthetic min/median/max {e['obs_synthetic']}; seeds {e['obs_seed']}")
        print(f"mean ratio synthetic/seed {e['mean_ratio']} (min {e['min_ratio']}); by seed {e['mean_ratio_by_seed']}; "
              f"by chapter swap {e['mean_ratio_by_swap']}")
        print(f"{e['below_0.9']} reports below 0.9 of their seed's observations; lowest:")
        for text in e["lowest_examples"]:
            print(f"  {text}")
        print(f"regency misdetected: {e['regency_misdetected']} {e['regency_misdetected_examples'][:3]}; "
              f"report year changed: {e['year_changed']} {e['year_changed_examples'][:3]}")
        for b in [*res["corpus_builds"], seeds]:  # keep the JSON small: counts, not per-file lists
            b.pop("per_file", None)
            problems = b.pop("problems")
            b["problems"] = {f"{p['severity']}:{p['code']}": sum(q["code"] == p["code"] for q in problems) for p in problems}
        res["seed_library_build"] = seeds

        if args.profile:
            section(f"profile: process_report on {args.profile} synthetic reports (one per seed first)")
            names = [s.name for s in corpus[: max(args.profile, 1)]]
            text = profile_reports(corpus_dir, names)
            print(text)
            res["profile"] = text
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)

    section("summary")
    print_table(summary_rows(res))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
