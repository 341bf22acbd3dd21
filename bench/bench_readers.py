"""Reading speed and peak memory of the bibliographic readers on large synthetic exports.

    python bench/bench_readers.py                          # 100,000 records per format
    python bench/bench_readers.py --records 20000 --format openalex --format medline

Each format's export is generated here, deterministically (seeded), in the shape its service writes: OpenAlex works
as gzipped JSON Lines (a snapshot part), Semantic Scholar papers as JSON Lines of search-response pages
(``{"data": [...]}``, 100 papers each), Crossref works as one pretty-printed ``work-list`` response, PubMed MEDLINE
and PubMed XML as PubMed writes them. Titles and abstracts are the seeds' (../shared/seeds) sentences reshuffled;
each record cites 0-30 others. Nothing is committed; files live in a temporary folder.

Each export is read in a fresh child process (``read_file``, then ``merge_listings``: what a build's read stage
does), timed there; its peak memory is the child's largest resident set (``wait4``'s ``ru_maxrss``). The reference,
measured in the same run, is the plain JSON Lines reader on the same titles and abstracts (``{"title", "abstract",
"date"}``). Results also go to ``bench/results/readers.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SEEDS = ROOT.parent / "shared" / "seeds"


class Corpus:
    """Seeded titles, abstracts, authors and references drawn from the seeds' text."""

    def __init__(self, seed: int = 0) -> None:
        from citegraph.extract.readers.listings import read_listings

        papers = read_listings(sorted(SEEDS.glob("*.txt"))).papers
        if not papers:
            sys.exit(f"bench_readers: no seeds at {SEEDS}")
        self.rng = random.Random(seed)
        self.sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", p.abstract) if len(s) > 20]
        self.titles = [p.title for p in papers]
        self.names = sorted({w for t in self.titles for w in re.findall(r"\b[A-Z][a-z]{3,}\b", t)})

    def paper(self, i: int) -> dict:
        rng = self.rng
        return {"i": i, "title": f"{rng.choice(self.titles)} (variant {i})",
                "abstract": " ".join(rng.sample(self.sentences, rng.randint(5, 9))),
                "authors": [f"{rng.choice(self.names)} {rng.choice(self.names)}" for _ in range(rng.randint(1, 6))],
                "year": rng.randint(1990, 2025), "month": rng.randint(1, 12), "day": rng.randint(1, 28),
                "doi": f"10.{rng.randint(1000, 9999)}/bench.{i}", "cites": [rng.randrange(10 ** 6)
                                                                        for _ in range(rng.randint(0, 30))]}


def openalex(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".jsonl.gz")
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as fh:
        for i in range(n):
            p = corpus.paper(i)
            index: dict[str, list[int]] = {}
            for k, w in enumerate(p["abstract"].split()):
                index.setdefault(w, []).append(k)
            fh.write(json.dumps({
                "id": f"https://openalex.org/W{10 ** 9 + i}", "doi": f"https://doi.org/{p['doi']}", "title": p["title"],
                "display_name": p["title"], "publication_year": p["year"],
                "publication_date": f"{p['year']}-{p['month']:02d}-{p['day']:02d}",
                "ids": {"openalex": f"https://openalex.org/W{10 ** 9 + i}", "doi": f"https://doi.org/{p['doi']}"},
                "primary_location": {"source": {"display_name": "Journal of Benchmarks"}},
                "authorships": [{"author_position": "middle", "author": {"display_name": a}} for a in p["authors"]],
                "biblio": {"volume": str(p["month"]), "issue": "1", "first_page": str(p["day"]), "last_page": "99"},
                "cited_by_count": len(p["cites"]), "keywords": [{"display_name": "benchmarks", "score": 0.5}],
                "referenced_works": [f"https://openalex.org/W{10 ** 9 + c}" for c in p["cites"]],
                "abstract_inverted_index": index}) + "\n")
    return path


def semanticscholar(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for start in range(0, n, 100):
            page = []
            for i in range(start, min(n, start + 100)):
                p = corpus.paper(i)
                page.append({"paperId": f"{i:040x}", "externalIds": {"DOI": p["doi"], "CorpusId": i},
                             "title": p["title"], "abstract": p["abstract"], "year": p["year"],
                             "publicationDate": f"{p['year']}-{p['month']:02d}-{p['day']:02d}",
                             "venue": "Journal of Benchmarks", "citationCount": len(p["cites"]),
                             "authors": [{"authorId": str(k), "name": a} for k, a in enumerate(p["authors"])],
                             "references": [{"paperId": f"{c:040x}", "title": None} for c in p["cites"]]})
            fh.write(json.dumps({"total": n, "offset": start, "data": page}) + "\n")
    return path


def crossref(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{\n  "status": "ok",\n  "message-type": "work-list",\n  "message-version": "1.0.0",\n'
                 f'  "message": {{\n    "total-results": {n},\n    "items": [\n')
        for i in range(n):
            p = corpus.paper(i)
            work = {"DOI": p["doi"], "title": [p["title"]], "type": "journal-article",
                    "abstract": f"<jats:p>{html.escape(p['abstract'])}</jats:p>",
                    "author": [{"given": a.split()[0], "family": a.split()[1], "sequence": "additional"}
                               for a in p["authors"]],
                    "container-title": ["Journal of Benchmarks"], "volume": str(p["month"]), "page": f"{p['day']}-99",
                    "published": {"date-parts": [[p["year"], p["month"], p["day"]]]},
                    "is-referenced-by-count": len(p["cites"]),
                    "reference": [{"key": f"ref-{k}", "DOI": f"10.5555/bench.{c}", "author": "Someone",
                                   "year": "2001", "journal-title": "J"} for k, c in enumerate(p["cites"])]}
            fh.write(json.dumps(work, indent=2).replace("\n", "\n      ").join(["      ", ",\n" if i < n - 1 else
                                                                                "\n"]))
        fh.write("    ]\n  }\n}\n")
    return path


def medline(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".txt")

    def wrap(tag: str, text: str) -> str:
        words, lines, line = text.split(), [], ""
        for w in words:
            if line and len(line) + len(w) > 80:
                lines.append(line)
                line = ""
            line = f"{line} {w}" if line else w
        lines.append(line)
        return f"{tag:<4}- " + "\n      ".join(lines) + "\n"

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    with open(path, "w", encoding="utf-8", newline="\r\n") as fh:
        for i in range(n):
            p = corpus.paper(i)
            fh.write("\n" if i else "")
            fh.write(f"PMID- {10 ** 7 + i}\nOWN - NLM\nSTAT- MEDLINE\n" + f"VI  - {p['month']}\n"
                     + f"DP  - {p['year']} {months[p['month'] - 1]} {p['day']}\n" + wrap("TI", p["title"])
                     + f"PG  - {p['day']}-99\nLID - {p['doi']} [doi]\n" + wrap("AB", p["abstract"])
                     + "".join(f"FAU - {a.split()[1]}, {a.split()[0]}\nAU  - {a.split()[1]} {a.split()[0][0]}\n"
                               for a in p["authors"])
                     + "LA  - eng\nJT  - Journal of benchmarks\nMH  - *Benchmarking\nMH  - Humans/methods\n"
                     + f"AID - {p['doi']} [doi]\nSO  - J Bench. {p['year']};{p['month']}:{p['day']}-99.\n")
    return path


def pubmed_xml(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".xml")
    e = html.escape
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
                 '2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
        for i in range(n):
            p = corpus.paper(i)
            authors = "".join(f"<Author ValidYN=\"Y\"><LastName>{e(a.split()[1])}</LastName><ForeName>"
                              f"{e(a.split()[0])}</ForeName></Author>" for a in p["authors"])
            refs = "".join(f"<Reference><Citation>Someone A. A cited work. J. 2001;{c}:1-9.</Citation><ArticleIdList>"
                           f"<ArticleId IdType=\"pubmed\">{c}</ArticleId></ArticleIdList></Reference>"
                           for c in p["cites"])
            fh.write(f"<PubmedArticle>\n<MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\n"
                     f"<PMID Version=\"1\">{10 ** 7 + i}</PMID>\n<Article PubModel=\"Print\">\n<Journal><JournalIssue>"
                     f"<Volume>{p['month']}</Volume><PubDate><Year>{p['year']}</Year><Month>{p['month']:02d}</Month>"
                     f"<Day>{p['day']:02d}</Day></PubDate></JournalIssue><Title>Journal of benchmarks</Title>"
                     f"</Journal>\n<ArticleTitle>{e(p['title'])}</ArticleTitle>\n<Pagination><StartPage>{p['day']}"
                     f"</StartPage></Pagination>\n<ELocationID EIdType=\"doi\" ValidYN=\"Y\">{p['doi']}"
                     f"</ELocationID>\n<Abstract><AbstractText>{e(p['abstract'])}</AbstractText></Abstract>\n"
                     f"<AuthorList CompleteYN=\"Y\">{authors}</AuthorList>\n</Article>\n<MeshHeadingList><MeshHeading>"
                     f"<DescriptorName UI=\"D1\" MajorTopicYN=\"Y\">Benchmarking</DescriptorName></MeshHeading>"
                     f"</MeshHeadingList>\n</MedlineCitation>\n<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">"
                     f"{10 ** 7 + i}</ArticleId><ArticleId IdType=\"doi\">{p['doi']}</ArticleId></ArticleIdList>"
                     f"<ReferenceList>{refs}</ReferenceList></PubmedData>\n</PubmedArticle>\n")
        fh.write("</PubmedArticleSet>\n")
    return path


def plain_jsonl(corpus: Corpus, n: int, path: Path) -> Path:
    path = path.with_suffix(".jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            p = corpus.paper(i)
            fh.write(json.dumps({"title": p["title"], "abstract": p["abstract"], "date": "2025-01-01"}) + "\n")
    return path


GENERATORS: dict[str, Callable[[Corpus, int, Path], Path]] = {
    "openalex": openalex, "semanticscholar": semanticscholar, "crossref": crossref, "medline": medline,
    "pubmed-xml": pubmed_xml}


def child(path: str) -> None:
    """Read one export as a build's read stage does, and print what it took (run in a fresh process)."""
    import time

    from citegraph.extract.readers.listings import read_file
    from citegraph.extract.readers.merge import merge_listings

    problems: list = []
    info: dict = {}
    t = time.perf_counter()
    rows = read_file(path, problems=problems, info=info)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    papers = merge_listings(rows, problems=problems)
    merge_s = time.perf_counter() - t
    print(json.dumps({"format": info["format"], "records": len(rows), "papers": len(papers), "read_s": read_s,
                      "merge_s": merge_s, "problems": len(problems),
                      "cited": sum(len(r.cited_references) for r in rows)}))


def measure(path: Path) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(path)], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_readers: reading {path} failed")
    return {**json.loads(out), "peak_rss_mb": usage.ru_maxrss / 1024}


def row(table: list, name: str, value: str, reference: str = "", ratio: str = "") -> None:
    table.append((name, value, reference, ratio))
    print(f"{name:<52} {value:>26} {reference:>26} {ratio:>8}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="records per export")
    ap.add_argument("--format", action="append", choices=sorted(GENERATORS), default=None,
                    help="only this format (repeatable); default: all")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    corpus_seed = 0
    table: list = []
    print(f"{'measure':<52} {'citegraph':>26} {'reference':>26} {'ratio':>8}")
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp:
        tmp = Path(tmp)
        ref = measure(plain_jsonl(Corpus(corpus_seed), args.records, tmp / "plain"))
        ref_rate = ref["records"] / ref["read_s"]
        for fmt in args.format or GENERATORS:
            path = GENERATORS[fmt](Corpus(corpus_seed), args.records, tmp / fmt)
            m = measure(path)
            if m["format"] != fmt or m["records"] != args.records or m["problems"]:
                sys.exit(f"bench_readers: {fmt}: read {m['records']} records as {m['format']!r} with "
                         f"{m['problems']} problems")
            rate = m["records"] / m["read_s"]
            size = path.stat().st_size / 2 ** 20
            row(table, f"{fmt} {args.records:,} ({path.name}, {size:,.0f} MB), records/s", f"{rate:,.0f}",
                f"plain JSONL {ref_rate:,.0f}", f"{rate / ref_rate:.2f}")
            row(table, f"{fmt}: merge {m['papers']:,} papers, {m['cited']:,} cited refs", f"{m['merge_s']:.1f}s",
                f"plain JSONL {ref['merge_s']:.1f}s")
            row(table, f"{fmt}: peak memory (read + merge, one process)", f"{m['peak_rss_mb']:,.0f} MB",
                f"plain JSONL {ref['peak_rss_mb']:,.0f} MB", f"{m['peak_rss_mb'] / ref['peak_rss_mb']:.2f}")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "readers.json").write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
