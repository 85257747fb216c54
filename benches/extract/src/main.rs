//! extract-eval: measure main-content extraction crates on the
//! article-extraction benchmark (see RESULTS.md for how to run).

mod extractors;
mod post;
mod robust;
mod score;

use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Page {
    id: String,
    html: String,
    truth: std::collections::HashMap<String, u32>,
}

fn bench_dir() -> PathBuf {
    std::env::var_os("BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/benchmarks/article-extraction"))
}

fn load_truth(dir: &Path) -> BTreeMap<String, String> {
    let raw = std::fs::read_to_string(dir.join("ground-truth.json")).expect("ground-truth.json");
    let v: serde_json::Value = serde_json::from_str(&raw).expect("valid json");
    v.as_object()
        .expect("object")
        .iter()
        .map(|(k, e)| (k.clone(), e["articleBody"].as_str().unwrap_or("").to_owned()))
        .collect()
}

/// Decompress every page once, up front (not timed).
fn load_pages(dir: &Path) -> Vec<Page> {
    let truth = load_truth(dir);
    let mut pages = Vec::new();
    for (id, body) in &truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        GzDecoder::new(std::fs::File::open(&path).expect("page file"))
            .read_to_end(&mut bytes)
            .expect("gunzip");
        // The README says the pages are UTF-8; keep going (lossy) if one is not.
        let html = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("warning: {id} is not valid UTF-8, decoding lossily");
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        pages.push(Page { id: id.clone(), html, truth: score::shingles(body) });
    }
    pages
}

fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: valid pointer to a timespec; CLOCK_THREAD_CPUTIME_ID is supported on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic".into()
    }
}

struct Args {
    names: Vec<String>,
    repeats: usize,
    dump: Option<PathBuf>,
    post: bool,
    results: Option<PathBuf>,
}

fn parse_args(it: impl Iterator<Item = String>) -> Args {
    let mut a = Args { names: vec![], repeats: 3, dump: None, post: false, results: None };
    let mut it = it.peekable();
    while let Some(x) = it.next() {
        match x.as_str() {
            "--repeats" => a.repeats = it.next().and_then(|v| v.parse().ok()).expect("--repeats N"),
            "--dump" => a.dump = Some(PathBuf::from(it.next().expect("--dump DIR"))),
            "--results" => a.results = Some(PathBuf::from(it.next().expect("--results DIR"))),
            "--post" => a.post = true,
            _ => a.names.push(x),
        }
    }
    a
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

fn run(pages: &[Page], ex: &extractors::Extractor, args: &Args) {
    let mut outputs: Vec<Option<String>> = vec![None; pages.len()];
    let (mut errors, mut panics, mut empty) = (Vec::new(), Vec::new(), 0usize);
    let mut best_wall = Duration::MAX;
    let mut best_cpu = Duration::MAX;
    let mut slowest: (Duration, &str) = (Duration::ZERO, "");
    for rep in 0..args.repeats.max(1) {
        let (mut wall, mut cpu) = (Duration::ZERO, Duration::ZERO);
        for (i, p) in pages.iter().enumerate() {
            let c0 = thread_cpu();
            let t0 = Instant::now();
            let r = std::panic::catch_unwind(|| (ex.f)(&p.html));
            let dt = t0.elapsed();
            cpu += thread_cpu() - c0;
            wall += dt;
            if rep == 0 {
                if dt > slowest.0 {
                    slowest = (dt, &p.id);
                }
                match r {
                    Ok(Ok(t)) => {
                        if score::tokens(&t).is_empty() {
                            empty += 1;
                        }
                        outputs[i] = Some(t)
                    }
                    Ok(Err(e)) => errors.push(format!("{}: {}", &p.id[..12], e)),
                    Err(pm) => panics.push(format!("{}: {}", &p.id[..12], panic_message(&*pm))),
                }
            }
        }
        best_wall = best_wall.min(wall);
        best_cpu = best_cpu.min(cpu);
    }
    let mut docs = Vec::with_capacity(pages.len());
    let mut per_doc = String::from("id\tprecision\trecall\n");
    for (p, o) in pages.iter().zip(&outputs) {
        let text = o.as_deref().unwrap_or("");
        let text = if args.post { post::clean(text) } else { text.to_owned() };
        let d = score::score_doc(&p.truth, &score::shingles(&text));
        per_doc.push_str(&format!("{}\t{:.4}\t{:.4}\n", p.id, d.precision, d.recall));
        docs.push(d);
        if let Some(dir) = &args.dump {
            let dir = dir.join(slug(ex.name));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{}.txt", p.id)), &text).unwrap();
        }
    }
    let g = score::aggregate(&docs);
    let n = pages.len() as f64;
    let pps_wall = n / best_wall.as_secs_f64();
    let pps_cpu = n / best_cpu.as_secs_f64();
    let name = if args.post { format!("{} +post", ex.name) } else { ex.name.to_owned() };
    println!(
        "{:<34} F1 {:.3}  P {:.3}  R {:.3}  | {:>7.1} pages/s wall, {:>7.1} pages/s cpu | errors {} panics {} empty {} | slowest {:.1} ms ({})",
        name,
        g.f1,
        g.precision,
        g.recall,
        pps_wall,
        pps_cpu,
        errors.len(),
        panics.len(),
        empty,
        slowest.0.as_secs_f64() * 1e3,
        &slowest.1[..slowest.1.len().min(12)],
    );
    for e in errors.iter().chain(&panics).take(5) {
        println!("    {e}");
    }
    if let Some(dir) = &args.results {
        std::fs::create_dir_all(dir).unwrap();
        let json = serde_json::json!({
            "name": name, "crate": ex.krate, "f1": g.f1, "precision": g.precision, "recall": g.recall,
            "pages_per_s_wall": pps_wall, "pages_per_s_cpu": pps_cpu, "repeats": args.repeats,
            "errors": errors, "panics": panics, "empty": empty,
        });
        let stem = slug(&name);
        std::fs::write(dir.join(format!("{stem}.json")), serde_json::to_string_pretty(&json).unwrap())
            .unwrap();
        std::fs::write(dir.join(format!("{stem}.per-doc.tsv")), per_doc).unwrap();
    }
}

fn validate(dir: &Path) {
    let truth = load_truth(dir);
    let mut same = Vec::new();
    let mut empty = Vec::new();
    let mut min_tokens = usize::MAX;
    for body in truth.values() {
        let t = score::shingles(body);
        min_tokens = min_tokens.min(score::tokens(body).len());
        same.push(score::score_doc(&t, &t));
        empty.push(score::score_doc(&t, &score::shingles("")));
    }
    let s = score::aggregate(&same);
    let e = score::aggregate(&empty);
    println!("documents: {}  (fewest tokens in a ground-truth body: {min_tokens})", truth.len());
    println!("truth vs itself : F1 {:.6}  P {:.6}  R {:.6}", s.f1, s.precision, s.recall);
    println!("truth vs empty  : F1 {:.6}  P {:.6}  R {:.6}", e.f1, e.precision, e.recall);
    assert!((s.f1 - 1.0).abs() < 1e-12, "self-score must be 1");
    assert!(e.f1 == 0.0, "empty prediction must score 0");
    println!("ok");
}

/// Score a directory of predictions `<dir>/<id>.txt` (e.g. from the Python
/// trafilatura run); a missing file counts as an empty prediction.
fn score_dir(dir: &Path, pred: &Path, post_clean: bool) {
    let truth = load_truth(dir);
    let mut docs = Vec::new();
    let mut missing = 0;
    for (id, body) in &truth {
        let text = std::fs::read_to_string(pred.join(format!("{id}.txt"))).unwrap_or_else(|_| {
            missing += 1;
            String::new()
        });
        let text = if post_clean { post::clean(&text) } else { text };
        docs.push(score::score_doc(&score::shingles(body), &score::shingles(&text)));
    }
    let g = score::aggregate(&docs);
    println!(
        "{:<34} F1 {:.3}  P {:.3}  R {:.3}  | missing {missing}",
        format!("{}{}", pred.display(), if post_clean { " +post" } else { "" }),
        g.f1,
        g.precision,
        g.recall
    );
}

/// Evaluate post-processing rule sets on dumped outputs, separately on the
/// two halves of the corpus (documents in id order, even/odd positions), so a
/// rule chosen on one half can be checked on the other.
fn post_sweep(dir: &Path, preds: &[String]) {
    use post::Rules;
    let truth = load_truth(dir);
    let truth: Vec<(String, std::collections::HashMap<String, u32>)> =
        truth.iter().map(|(k, v)| (k.clone(), score::shingles(v))).collect();
    let mut sets: Vec<(String, Rules)> = vec![
        ("none".into(), Rules::NONE),
        ("markup".into(), Rules { markup: true, ..Rules::NONE }),
        ("phrases".into(), Rules { phrases: true, ..Rules::NONE }),
        ("markup+phrases".into(), Rules { markup: true, phrases: true, ..Rules::NONE }),
    ];
    for n in [2, 3, 4, 5, 6] {
        sets.push((format!("short<={n}"), Rules { short_max_tokens: n, ..Rules::NONE }));
        sets.push((format!("markup+phrases+short<={n}"), Rules { short_max_tokens: n, markup: true, phrases: true }));
    }
    for pred in preds {
        println!("== {pred}   F1 even-half / odd-half / all (P, R on all)");
        let texts: Vec<String> = truth
            .iter()
            .map(|(id, _)| std::fs::read_to_string(Path::new(pred).join(format!("{id}.txt"))).unwrap_or_default())
            .collect();
        for (name, rules) in &sets {
            let docs: Vec<score::DocScore> = truth
                .iter()
                .zip(&texts)
                .map(|((_, t), x)| score::score_doc(t, &score::shingles(&post::clean_with(x, *rules))))
                .collect();
            let even: Vec<_> = docs.iter().step_by(2).copied().collect();
            let odd: Vec<_> = docs.iter().skip(1).step_by(2).copied().collect();
            let (e, o, a) = (score::aggregate(&even), score::aggregate(&odd), score::aggregate(&docs));
            println!(
                "   {:<28} {:.4} / {:.4} / {:.4}   (P {:.3}, R {:.3})",
                name, e.f1, o.f1, a.f1, a.precision, a.recall
            );
        }
    }
}

fn main() {
    let mut argv = std::env::args().skip(1);
    let cmd = argv.next().unwrap_or_else(|| "help".into());
    let dir = bench_dir();
    match cmd.as_str() {
        "validate" => validate(&dir),
        "list" => {
            for e in extractors::all() {
                println!("{}", e.name);
            }
        }
        "score-dir" => {
            let a = parse_args(argv);
            for d in &a.names {
                score_dir(&dir, Path::new(d), a.post);
            }
        }
        "robust" => {
            // parent: run every (extractor, case) pair in a child process
            let me = std::env::current_exe().unwrap();
            let a = parse_args(argv);
            for ex in extractors::all() {
                if !(a.names.is_empty() || a.names.iter().any(|n| ex.name.starts_with(n.as_str()))) {
                    continue;
                }
                let mut bad = Vec::new();
                for (case, _) in robust::cases() {
                    // 60 s cap per case (coreutils `timeout`), so one quadratic case cannot stall the sweep
                    let out = std::process::Command::new("timeout")
                        .arg("60")
                        .arg(&me)
                        .args(["robust-one", ex.name, case])
                        .output()
                        .unwrap();
                    if out.status.code() == Some(124) {
                        bad.push(format!("{case}: TIMEOUT (> 60 s)"));
                        continue;
                    }
                    let so = String::from_utf8_lossy(&out.stdout).trim().to_string();
                    if !out.status.success() {
                        bad.push(format!("{case}: CRASH ({}) {}", out.status, String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")));
                    } else if so.starts_with("panic") || so.starts_with("error") || so.contains("SLOW") {
                        bad.push(format!("{case}: {so}"));
                    }
                }
                println!("{:<34} {}", ex.name, if bad.is_empty() { "ok on all cases".to_string() } else { bad.join("\n    ") });
            }
        }
        "robust-one" => {
            let name = argv.next().unwrap();
            let case = argv.next().unwrap();
            std::panic::set_hook(Box::new(|_| {}));
            let ex = extractors::all().into_iter().find(|e| e.name == name).unwrap();
            let (_, html) = robust::cases().into_iter().find(|(c, _)| *c == case).unwrap();
            let t0 = Instant::now();
            // ROBUST_STACK_MB=N runs the extractor on a thread with an N MiB stack
            let r = match std::env::var("ROBUST_STACK_MB").ok().and_then(|v| v.parse::<usize>().ok()) {
                Some(mb) => {
                    let f = ex.f;
                    std::thread::Builder::new()
                        .stack_size(mb << 20)
                        .spawn(move || f(&html))
                        .unwrap()
                        .join()
                }
                None => std::panic::catch_unwind(|| (ex.f)(&html)),
            };
            let dt = t0.elapsed();
            let slow = if dt > Duration::from_secs(2) { format!(" SLOW {:.1}s", dt.as_secs_f64()) } else { String::new() };
            match r {
                Ok(Ok(t)) => println!("ok {} chars: {:?}{slow}", t.len(), t.chars().take(80).collect::<String>()),
                Ok(Err(e)) => println!("error: {e}{slow}"),
                Err(p) => println!("panic: {}{slow}", panic_message(&*p)),
            }
        }
        "post-sweep" => {
            let a = parse_args(argv);
            post_sweep(&dir, &a.names);
        }
        "run" => {
            let a = parse_args(argv);
            // quiet default panic output; panics are caught and reported per page
            std::panic::set_hook(Box::new(|_| {}));
            let pages = load_pages(&dir);
            let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
            eprintln!("{} pages, {:.1} MB of HTML, repeats {}", pages.len(), bytes as f64 / 1e6, a.repeats);
            for ex in extractors::all() {
                if a.names.is_empty() || a.names.iter().any(|n| n == "all" || ex.name.starts_with(n.as_str())) {
                    run(&pages, &ex, &a);
                }
            }
        }
        _ => {
            eprintln!(
                "usage: extract-eval validate | list | run [NAME-PREFIX|all ...] [--repeats N] [--dump DIR] [--results DIR] [--post] | score-dir DIR... [--post]"
            );
            std::process::exit(2);
        }
    }
}
