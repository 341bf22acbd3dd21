"""citegraph's benchmark: one command, a printed table, every figure beside its reference measured in the same run.

    python bench/run.py                      # extraction, build, workers, update on the seeds + 2,000 synthetic
    python bench/run.py --synthetic 10000 --update-base 10000 --memory 100000
    python bench/run.py --all                # also the map (bench_view.py), Neo4j push (bench_push.py) and
                                             # bibliographic readers (bench_readers.py) benches
    python bench/run.py --only longlines     # peak memory of building 500 MB one-line JSONL, HF and CSV files

The reference is raw ``nlp.pipe`` of the shipped pipeline over the same texts (batch 64, one process). Synthetic
corpora are generated at run time from the seeds' sentences (seeded); nothing big is committed. Peak memory is given
two ways: the largest resident set of one process of the build (``wait4``'s ``ru_maxrss``) and the peak of the whole
build, main process and extraction workers together, as the sum of their proportional set sizes (PSS: pages shared
by forked workers counted once), sampled every second. Results also go to ``bench/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from citegraph.extract.pipeline.load import load_pipeline  # noqa: E402
from citegraph.extract.readers.listings import read_listings  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def seed_papers():
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        sys.exit(f"bench: no seeds at {SEEDS}")
    return files, read_listings(files).papers


def synthetic_jsonl(path: Path, n: int, papers, seed: int = 0, start: int = 0, date: str = "2025-01-01") -> Path:
    """``n`` abstracts made of the seeds' sentences, reshuffled; titles are made unique."""
    rng = random.Random(seed)
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", p.abstract) if len(s) > 20]
    titles = [p.title for p in papers]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            abstract = " ".join(rng.sample(sentences, rng.randint(5, 9)))
            fh.write(json.dumps({"id": f"syn-{i}", "title": f"{rng.choice(titles)} (variant {i})",
                                 "abstract": abstract, "date": date}) + "\n")
    return path


def tree_pss(pid: int) -> int:
    """Bytes of memory of process ``pid`` and its descendants: the sum of their PSS (0 once it is gone)."""
    import psutil

    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def timed_build(args: list[str]) -> dict:
    """Run ``citegraph build`` in a child process; wall time, peak memory (largest process, and the whole tree)
    and the manifest's stage timings."""
    import threading

    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # a file, not a pipe: it cannot fill up and block
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "citegraph", "build", *args], stdout=subprocess.DEVNULL,
                            stderr=errors, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            peak[0] = max(peak[0], tree_pss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    wall = time.perf_counter() - t
    errors.seek(0)
    err = errors.read()
    errors.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: build failed: {err[-2000:]}")
    out = Path(args[args.index("--out") + 1] if "--out" in args else args[args.index("--update") + 1])
    manifest = json.loads((out / "manifest.json").read_text())
    return {"wall_s": wall, "peak_rss_mb": usage.ru_maxrss / 1024, "peak_tree_mb": peak[0] / 2**20,
            "timings": manifest["run"]["timings"],
            "papers": manifest["counts"]["papers"], "extracted": manifest["run"]["extracted"],
            "workers": manifest["run"]["workers"]}


def raw_pipe(nlp, texts: list[str], **kw) -> float:
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, **kw):
        pass
    return time.perf_counter() - t


def row(table: list, name: str, value: str, reference: str = "", ratio: str = "") -> None:
    table.append((name, value, reference, ratio))
    print(f"{name:<46} {value:>18} {reference:>22} {ratio:>8}", flush=True)


def seeds_builds(table, tmp, files, papers, nlp, texts, n_words, raw_full) -> None:
    """The seeds' builds (one worker, then the default) against raw nlp.pipe, and analyze."""
    b = timed_build([*map(str, files), "--out", str(tmp / "seeds"), "--workers", "1"])
    e2e = b["wall_s"]
    row(table, f"seeds build end to end ({b['papers']} papers), papers/s", f"{b['papers'] / e2e:,.1f}",
        f"raw nlp.pipe {len(papers) / raw_full:,.1f}", f"{raw_full / e2e:.2f}")
    row(table, "seeds build end to end, words/s", f"{n_words / e2e:,.0f}", f"raw {n_words / raw_full:,.0f}",
        f"{raw_full / e2e:.2f}")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in b["timings"].items())
    row(table, "seeds build stages", stages[:60])
    row(table, "seeds build extract stage vs raw nlp.pipe", f"{b['timings']['extract']:.2f}s",
        f"{raw_full:.2f}s", f"{raw_full / b['timings']['extract']:.2f}")
    row(table, "seeds build peak RSS", f"{b['peak_rss_mb']:,.0f} MB")
    cores = os.cpu_count() or 1
    if cores > 1:  # the default build uses every core: compare with raw nlp.pipe on as many processes
        raw_n = raw_pipe(nlp, texts, n_process=cores)
        d = timed_build([*map(str, files), "--out", str(tmp / "seeds-default")])
        row(table, f"seeds build, default ({d['workers']} workers), words/s", f"{n_words / d['wall_s']:,.0f}",
            f"raw n_process={cores} {n_words / raw_n:,.0f}", f"{raw_n / d['wall_s']:.2f}")
        row(table, f"seeds build, default ({d['workers']} workers) vs raw 1 process", f"{d['wall_s']:.1f}s",
            f"raw {raw_full:.1f}s", f"{raw_full / d['wall_s']:.2f}")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citegraph", "analyze", str(tmp / "seeds"), "--out", str(tmp / "report")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    row(table, "seeds: citegraph analyze (report.html + json)", f"{time.perf_counter() - t:.1f}s",
        f"build {e2e:.1f}s", f"{(time.perf_counter() - t) / e2e:.2f}")


def synthetic_builds(table, tmp, args, papers, nlp) -> None:
    """One worker against two on synthetic abstracts, beside raw nlp.pipe on the same texts. The two cores of a
    shared machine drift by more than the difference being measured, so the 1-worker and 2-worker builds alternate
    ``args.workers_repeats`` times and the ratio of their medians counts (the same for spaCy's own n_process=2)."""
    import shutil
    import statistics

    syn = synthetic_jsonl(tmp / "syn.jsonl", args.synthetic, papers)
    syn_texts = [json.loads(x) for x in syn.read_text().splitlines()]
    syn_words = words([r["title"] + " " + r["abstract"] for r in syn_texts])
    syn_flat = [t for r in syn_texts for t in (r["title"], r["abstract"])]
    ones, twos, raws, raws2 = [], [], [], []
    for _ in range(args.workers_repeats):
        for d in ("w1", "w2"):  # the extraction cache lives in the build directory: start each build without it
            shutil.rmtree(tmp / d, ignore_errors=True)
        raws.append(raw_pipe(nlp, syn_flat))
        ones.append(timed_build([str(syn), "--out", str(tmp / "w1"), "--workers", "1", "--no-html"]))
        twos.append(timed_build([str(syn), "--out", str(tmp / "w2"), "--workers", "2", "--no-html"]))
        raws2.append(raw_pipe(nlp, syn_flat, n_process=2))
    n = len(ones)
    syn_raw = statistics.median(raws)
    one = statistics.median(b["wall_s"] for b in ones)
    two = statistics.median(b["wall_s"] for b in twos)
    one_x = statistics.median(b["timings"]["extract"] for b in ones)
    two_x = statistics.median(b["timings"]["extract"] for b in twos)
    row(table, f"synthetic {args.synthetic:,}: 1 worker, words/s (median of {n})", f"{syn_words / one:,.0f}",
        f"raw nlp.pipe {syn_words / syn_raw:,.0f}", f"{syn_raw / one:.2f}")
    row(table, f"synthetic {args.synthetic:,}: 1 worker, extract stage", f"{one_x:.1f}s",
        f"raw nlp.pipe {syn_raw:.1f}s", f"{syn_raw / one_x:.2f}")
    row(table, f"synthetic {args.synthetic:,}: 2 workers vs 1 (end to end)", f"{one / two:.2f}x",
        f"extract stage {one_x / two_x:.2f}x")
    # what this machine's two cores give spaCy's own multiprocessing on the same texts, in the same run
    row(table, f"synthetic {args.synthetic:,}: raw nlp.pipe n_process=2 vs 1",
        f"{syn_raw / statistics.median(raws2):.2f}x")
    row(table, "1 worker / 2 workers / raw / raw n_process=2 runs",
        "; ".join(f"{a['wall_s']:.1f} {b['wall_s']:.1f} {r:.1f} {r2:.1f}"
                  for a, b, r, r2 in zip(ones, twos, raws, raws2)))
    same = all((tmp / "w1" / f).read_bytes() == (tmp / "w2" / f).read_bytes()
               for f in ("graph.json", "mentions.jsonl", "entities.csv"))
    row(table, "synthetic: 2 workers give identical output", str(same))
    row(table, f"synthetic {args.synthetic:,}: peak RSS (1 worker)", f"{max(b['peak_rss_mb'] for b in ones):,.0f} MB")


def update_builds(table, tmp, args, papers, repeats: int = 5) -> None:
    """--update with a day of 60 papers against a full rebuild of the same papers. The update is short next to the
    machine's drift, so it runs ``repeats`` times (each on a fresh copy of the base build) and its median counts,
    between two full rebuilds whose mean is the reference; the outputs of the last update must equal the full
    rebuild's."""
    import shutil
    import statistics

    base = synthetic_jsonl(tmp / "base.jsonl", args.update_base, papers, seed=1)
    day = synthetic_jsonl(tmp / "day.jsonl", 60, papers, seed=2, start=10**7, date="2025-01-02")
    timed_build([str(base), "--out", str(tmp / "base"), "--no-html"])
    fulls = []

    def rebuild() -> None:
        shutil.rmtree(tmp / "full", ignore_errors=True)
        fulls.append(timed_build([str(base), str(day), "--out", str(tmp / "full"), "--no-html"])["wall_s"])

    rebuild()
    walls = []
    for _ in range(repeats):
        shutil.rmtree(tmp / "upd", ignore_errors=True)
        shutil.copytree(tmp / "base", tmp / "upd")
        upd = timed_build(["--update", str(tmp / "upd"), str(day), "--no-html"])
        walls.append(upd["wall_s"])
    rebuild()
    wall, full = statistics.median(walls), statistics.mean(fulls)
    row(table, f"--update 60 papers over {args.update_base:,} (median of {repeats})", f"{wall:.1f}s",
        f"full rebuild {full:.1f}s", f"{wall / full:.3f}")
    row(table, "--update runs", ", ".join(f"{w:.1f}s" for w in walls))
    row(table, "full rebuild runs (before, after)", ", ".join(f"{w:.1f}s" for w in fulls))
    row(table, "--update stages (last run)", ", ".join(f"{k} {v:.1f}s" for k, v in upd["timings"].items())[:60])
    same = all((tmp / "upd" / f).read_bytes() == (tmp / "full" / f).read_bytes()
               for f in ("graph.json", "graph.graphml", "graph.gexf", "mentions.jsonl", "cooccurrence.csv"))
    row(table, "--update output equals the full rebuild's", str(same))


def memory_build(table, tmp, args, papers) -> None:
    """Peak memory of a big synthetic build."""
    big = synthetic_jsonl(tmp / "big.jsonl", args.memory, papers, seed=3)
    rules = ["--rules-only"] if args.memory_pipeline == "rules" else []
    m = timed_build([str(big), "--out", str(tmp / "big"), *rules, "--no-html"])
    what = "rules-only" if rules else "shipped model"
    row(table, f"synthetic {args.memory:,} ({what}): peak RSS", f"{m['peak_rss_mb']:,.0f} MB",
        f"wall {m['wall_s']:.0f}s")
    row(table, f"synthetic {args.memory:,}: peak, all processes (PSS)", f"{m['peak_tree_mb']:,.0f} MB",
        f"{m['workers']} workers")
    row(table, f"synthetic {args.memory:,}: stages", ", ".join(f"{k} {v:.0f}s"
                                                               for k, v in m["timings"].items())[:60])


def long_line_file(path: Path, fmt: str, mb: int) -> Path:
    """A listing of ``mb`` MB whose first record is one line of that size (an abstract far over every limit),
    then one good record: the build skips the first and builds the second."""
    chunk = "word " * 200_000  # 1 MB
    head, tail = {"jsonl": ('{"title": "Long", "abstract": "', '"}\n{"title": "Good paper", "abstract": "We use BERT."}\n'),
                  "hf": ("Mar 17\n\nLong\n\n", "\n\nGood paper\n\nWe use BERT.\n"),
                  "csv": ('id,title,abstract\n1,Long,"', '"\n2,Good paper,We use BERT.\n')}[fmt]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        for _ in range(mb):
            fh.write(chunk)
        fh.write(tail)
    return path


def long_line_builds(table, tmp, args) -> None:
    """Peak memory of building a file of ``--long-line-mb`` MB that is one line, in each line-read format."""
    for fmt, ext in (("jsonl", "jsonl"), ("hf", "txt"), ("csv", "csv")):
        path = long_line_file(tmp / f"long.{ext}", fmt, args.long_line_mb)
        m = timed_build([str(path), "--out", str(tmp / f"long-{fmt}"), "--rules-only", "--no-html"])
        path.unlink()
        row(table, f"{args.long_line_mb} MB one-line {fmt}: build peak RSS", f"{m['peak_rss_mb']:,.0f} MB",
            f"wall {m['wall_s']:.0f}s")


SECTIONS = ("pipeline", "seeds", "synthetic", "update", "longlines")
#: the sections run when no --only is given (longlines writes files of hundreds of MB: asked for by name)
DEFAULT_SECTIONS = ("pipeline", "seeds", "synthetic", "update")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=2000, help="synthetic abstracts for the workers bench")
    ap.add_argument("--workers-repeats", type=int, default=3,
                    help="alternating 1-worker and 2-worker builds in the workers bench; their medians count")
    ap.add_argument("--update-base", type=int, default=2000, help="size of the build that --update extends")
    ap.add_argument("--memory", type=int, default=0, help="also build this many synthetic abstracts (rules-only "
                                                           "pipeline) for peak memory; 0 skips")
    ap.add_argument("--memory-pipeline", choices=["rules", "shipped"], default="rules",
                    help="pipeline of the --memory build: rules-only (minutes) or the shipped model (~30 min "
                         "for 100,000 on 2 cores)")
    ap.add_argument("--long-line-mb", type=int, default=500,
                    help="size of the one-line files of --only longlines (peak memory of reading them)")
    ap.add_argument("--all", action="store_true", help="also run bench_extract.py, bench_view.py, bench_push.py and "
                                                       "bench_readers.py")
    ap.add_argument("--only", action="append", choices=SECTIONS, default=None,
                    help="run only this part (repeatable): the pipeline's speed, the seeds' builds, the synthetic "
                         "workers builds, --update against a full rebuild (default: those four), or the peak "
                         "memory of building one-line files of --long-line-mb MB (longlines)")
    args = ap.parse_args()
    sections = set(args.only or DEFAULT_SECTIONS)
    files, papers = seed_papers()
    texts = [t for p in papers for t in (p.title, p.abstract)]
    n_words = words(texts)
    table: list = []
    print(f"{'measure':<46} {'citegraph':>18} {'reference':>22} {'ratio':>8}")

    nlp = load_pipeline() if sections & {"pipeline", "seeds", "synthetic"} else None
    raw_full = raw_pipe(nlp, texts) if sections & {"pipeline", "seeds"} else 0.0
    if "pipeline" in sections:
        from citegraph.extract.runner.provenance import TRAINED_COMPONENTS

        ner_names = [n for n in nlp.pipe_names if n in TRAINED_COMPONENTS]
        with nlp.select_pipes(enable=ner_names):
            raw_ner = raw_pipe(nlp, texts)
        # the relation component's own cost: timed alone over the docs the entity components made, since a
        # second whole run on a shared machine differs by more than the component's few percent
        relations = [n for n in nlp.pipe_names if n == "citegraph_relations"]
        with nlp.select_pipes(disable=relations):
            t = time.perf_counter()
            docs = list(nlp.pipe(texts, batch_size=64))
            raw_entities = time.perf_counter() - t
        t = time.perf_counter()
        for name in relations:
            component = nlp.get_pipe(name)
            for doc in docs:
                component(doc)
        raw_relations = time.perf_counter() - t
        del docs
        t = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts):
            pass
        tok = time.perf_counter() - t
        row(table, "seeds: shipped pipeline, words/s (1 proc)", f"{n_words / raw_full:,.0f}",
            f"model alone {n_words / raw_ner:,.0f}", f"{raw_ner / raw_full:.2f}")
        row(table, "seeds: relation component alone, words/s", f"{n_words / max(raw_relations, 1e-9):,.0f}",
            f"entity components {n_words / raw_entities:,.0f}", f"{raw_relations / raw_entities:.3f}")
        row(table, "seeds: tokenizer alone, words/s", f"{n_words / tok:,.0f}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if "seeds" in sections:
            seeds_builds(table, tmp, files, papers, nlp, texts, n_words, raw_full)
        if "synthetic" in sections:
            synthetic_builds(table, tmp, args, papers, nlp)
        if "update" in sections:
            update_builds(table, tmp, args, papers)
        if "longlines" in sections:
            long_line_builds(table, tmp, args)
        if args.memory:
            memory_build(table, tmp, args, papers)

    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "run.json").write_text(json.dumps(table, indent=1))
    if args.all:
        for script in ("bench_extract.py", "bench_view.py", "bench_push.py", "bench_readers.py"):
            if (ROOT / "bench" / script).exists():
                print(f"\n== {script}", flush=True)
                subprocess.run([sys.executable, str(ROOT / "bench" / script)], check=False)


if __name__ == "__main__":
    main()
