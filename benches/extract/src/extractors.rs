//! One function per candidate configuration: HTML (already decoded to a
//! UTF-8 `&str`) in, plain text out. Each call does the crate's full work
//! (parse + extract + produce plain text), which is what gets timed.
//!
//! No page URL is passed: `mojifix clean` works on files and usually has none.

pub type ExtractFn = fn(&str) -> Result<String, String>;

pub struct Extractor {
    pub name: &'static str,
    pub krate: &'static str,
    pub f: ExtractFn,
}

macro_rules! ex {
    ($feat:literal, $name:literal, $f:path) => {
        #[cfg(feature = $feat)]
        Extractor { name: $name, krate: $feat, f: $f }
    };
}

pub fn all() -> Vec<Extractor> {
    vec![
        ex!("trafilatura", "trafilatura", traf_default),
        ex!("trafilatura", "trafilatura+fallback", traf_fallback),
        ex!("trafilatura", "trafilatura+fallback+recall", traf_fallback_recall),
        ex!("trafilatura", "trafilatura+fallback+precision", traf_fallback_precision),
        ex!("trafilatura", "trafilatura:html", traf_default_html),
        ex!("trafilatura", "trafilatura+fallback+precision:html", traf_fallback_precision_html),
        ex!("trafilatura", "trafilatura+fallback+precision:html:lean", traf_lean_html),
        ex!("rs-trafilatura", "rs-trafilatura", rs_traf),
        ex!("rs-trafilatura", "rs-trafilatura+recall", rs_traf_recall),
        ex!("dom_smoothie", "dom_smoothie", smoothie_raw),
        ex!("dom_smoothie", "dom_smoothie+formatted", smoothie_formatted),
        ex!("libreadability", "libreadability", libreadability),
        ex!("readex", "readex", readex),
        ex!("dom-content-extraction", "dom-content-extraction:article", dce_article),
        ex!("dom-content-extraction", "dom-content-extraction:content", dce_content),
        ex!("justext", "justext:english", justext_en),
        ex!("llm_readability", "llm_readability", llm_readability),
        ex!("boilerpipe", "boilerpipe", boilerpipe),
        ex!("html2text", "html2text (baseline)", html2text_plain),
    ]
}

#[cfg(feature = "trafilatura")]
fn traf(html: &str, opts: &trafilatura::Options) -> Result<String, String> {
    trafilatura::extract(html, opts).map(|r| r.content_text).map_err(|e| e.to_string())
}
#[cfg(feature = "trafilatura")]
fn traf_default(html: &str) -> Result<String, String> {
    traf(html, &trafilatura::Options::default())
}
#[cfg(feature = "trafilatura")]
fn traf_fallback(html: &str) -> Result<String, String> {
    traf(html, &trafilatura::Options::default().with_fallback(true))
}
#[cfg(feature = "trafilatura")]
fn traf_fallback_recall(html: &str) -> Result<String, String> {
    let o = trafilatura::Options::default()
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::FavorRecall);
    traf(html, &o)
}
#[cfg(feature = "trafilatura")]
fn traf_fallback_precision(html: &str) -> Result<String, String> {
    let o = trafilatura::Options::default()
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::FavorPrecision);
    traf(html, &o)
}

/// `content_text` of the trafilatura crate is whitespace-joined (no line
/// breaks); these variants render `content_html` to plain text with html2text
/// instead, which keeps one paragraph per line.
#[cfg(feature = "trafilatura")]
fn traf_html(html: &str, opts: &trafilatura::Options) -> Result<String, String> {
    let r = trafilatura::extract(html, opts).map_err(|e| e.to_string())?;
    html2text::config::plain_no_decorate()
        .string_from_read(r.content_html.as_bytes(), 100_000)
        .map_err(|e| e.to_string())
}
#[cfg(feature = "trafilatura")]
fn traf_default_html(html: &str) -> Result<String, String> {
    traf_html(html, &trafilatura::Options::default())
}
#[cfg(feature = "trafilatura")]
fn traf_fallback_precision_html(html: &str) -> Result<String, String> {
    let o = trafilatura::Options::default()
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::FavorPrecision);
    traf_html(html, &o)
}

/// the configuration proposed for mojifix: as above, plus no comment
/// extraction and no date extraction (mojifix needs neither)
#[cfg(feature = "trafilatura")]
fn traf_lean_html(html: &str) -> Result<String, String> {
    let o = trafilatura::Options::default()
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::FavorPrecision)
        .with_exclude_comments(true)
        .with_html_date_mode(trafilatura::HtmlDateMode::Disabled);
    traf_html(html, &o)
}

#[cfg(feature = "rs-trafilatura")]
fn rs_traf(html: &str) -> Result<String, String> {
    rs_trafilatura::extract(html).map(|r| r.content_text).map_err(|e| e.to_string())
}
#[cfg(feature = "rs-trafilatura")]
fn rs_traf_recall(html: &str) -> Result<String, String> {
    let o = rs_trafilatura::Options { favor_recall: true, ..Default::default() };
    rs_trafilatura::extract_with_options(html, &o)
        .map(|r| r.content_text)
        .map_err(|e| e.to_string())
}

#[cfg(feature = "dom_smoothie")]
fn smoothie(html: &str, mode: dom_smoothie::TextMode) -> Result<String, String> {
    let cfg = dom_smoothie::Config { text_mode: mode, ..Default::default() };
    let mut r = dom_smoothie::Readability::new(html, None, Some(cfg)).map_err(|e| e.to_string())?;
    r.parse().map(|a| a.text_content.to_string()).map_err(|e| e.to_string())
}
#[cfg(feature = "dom_smoothie")]
fn smoothie_raw(html: &str) -> Result<String, String> {
    smoothie(html, dom_smoothie::TextMode::Raw)
}
#[cfg(feature = "dom_smoothie")]
fn smoothie_formatted(html: &str) -> Result<String, String> {
    smoothie(html, dom_smoothie::TextMode::Formatted)
}

#[cfg(feature = "libreadability")]
fn libreadability(html: &str) -> Result<String, String> {
    libreadability::extract(html, None).map(|a| a.text_content).map_err(|e| e.to_string())
}

#[cfg(feature = "readex")]
fn readex(html: &str) -> Result<String, String> {
    readex::extract(html, None).map(|x| x.text).map_err(|e| format!("{e:?}"))
}

#[cfg(feature = "dom-content-extraction")]
fn dce_article(html: &str) -> Result<String, String> {
    let doc = dom_content_extraction::scraper::Html::parse_document(html);
    dom_content_extraction::get_article(&doc).map_err(|e| e.to_string())
}
#[cfg(feature = "dom-content-extraction")]
fn dce_content(html: &str) -> Result<String, String> {
    let doc = dom_content_extraction::scraper::Html::parse_document(html);
    dom_content_extraction::get_content(&doc).map_err(|e| e.to_string())
}

#[cfg(feature = "justext")]
fn justext_en(html: &str) -> Result<String, String> {
    justext::extract_text_lang(html, "English", &justext::Config::default()).map_err(|e| e.to_string())
}

#[cfg(feature = "llm_readability")]
fn llm_readability(html: &str) -> Result<String, String> {
    // the API requires a URL; a neutral one is used (no network access happens)
    let url = url::Url::parse("http://localhost/").unwrap();
    let mut input = html.as_bytes();
    llm_readability::extractor::extract(&mut input, &url)
        .map(|p| p.text)
        .map_err(|e| format!("{e:?}"))
}

#[cfg(feature = "boilerpipe")]
fn boilerpipe(html: &str) -> Result<String, String> {
    Ok(boilerpipe::parse_document(html).content().to_string())
}

#[cfg(feature = "html2text")]
fn html2text_plain(html: &str) -> Result<String, String> {
    html2text::config::plain_no_decorate()
        .string_from_read(html.as_bytes(), 100_000)
        .map_err(|e| e.to_string())
}
