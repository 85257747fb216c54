"""Same-machine reference: Python trafilatura on the same 181 pages.

Writes one plain-text prediction per page to OUTDIR/<id>.txt (scored by
`extract-eval score-dir OUTDIR`) and prints pages/s of the extraction calls
only (decompression and file writing excluded), best of REPEATS runs.
Usage: python3 py_trafilatura.py OUTDIR [REPEATS] [default|precision|recall|nofallback]
"""
import gzip, json, os, sys, time
import trafilatura

bench = os.environ.get("BENCH_DIR", "/work/shared/benchmarks/article-extraction")
out = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
mode = sys.argv[3] if len(sys.argv) > 3 else "default"
kw = {"output_format": "txt", "include_comments": False}
if mode == "precision":
    kw["favor_precision"] = True
elif mode == "recall":
    kw["favor_recall"] = True
elif mode == "nofallback":
    kw["no_fallback"] = True

gt = json.load(open(os.path.join(bench, "ground-truth.json")))
pages = {}
for pid in sorted(gt):
    with gzip.open(os.path.join(bench, "html", pid + ".html.gz")) as f:
        pages[pid] = f.read().decode("utf-8")

os.makedirs(out, exist_ok=True)
best = float("inf")
for rep in range(repeats):
    total = 0.0
    for pid, html in pages.items():
        t0 = time.perf_counter()
        text = trafilatura.extract(html, **kw)
        total += time.perf_counter() - t0
        if rep == 0:
            with open(os.path.join(out, pid + ".txt"), "w") as f:
                f.write(text or "")
    best = min(best, total)
print(f"python trafilatura {trafilatura.__version__} ({mode}): {len(pages)/best:.1f} pages/s (best of {repeats})")
