//! `資料.html` (issue 16, SPEC §8.1): the handout as a web page. The page is
//! read back as a tree (it is well-formed XML as well as HTML, so quick-xml,
//! already a dependency, reads it, and a missing end tag fails the test
//! instead of being repaired the way an HTML parser would) and every item
//! of matrix.json that the handout prints is looked for in the `<li>` of
//! the `<td>` of its own 分野 row and 区分 column.

use quick_xml::events::Event;
use serde_json::Value;

use crate::common::{self, Month, Run};

const HTML: &str = "資料.html";

/// An element of the page (text nodes as elements named `#text`).
#[derive(Debug)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn element(name: &str, attrs: Vec<(String, String)>) -> Node {
        Node {
            name: name.to_string(),
            attrs,
            text: String::new(),
            children: Vec::new(),
        }
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The element children with this name.
    fn kids<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn kid<'a>(&'a self, name: &'a str) -> &'a Node {
        self.kids(name)
            .next()
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }

    /// Every descendant element with this name, in document order.
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.all(name, out);
        }
    }

    fn find_all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    /// The text of the element and its descendants.
    fn text(&self) -> String {
        if self.name == "#text" {
            return self.text.clone();
        }
        self.children.iter().map(Node::text).collect()
    }
}

/// The page as a tree; panics (failing the test) on markup that is not
/// well-formed.
fn parse(html: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Node::element("#document", Vec::new())];
    let attrs = |e: &quick_xml::events::BytesStart| -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("an attribute value")
                        .into_owned(),
                )
            })
            .collect()
    };
    let push_text = |stack: &mut Vec<Node>, s: &str| {
        let top = stack.last_mut().unwrap();
        match top.children.last_mut() {
            Some(t) if t.name == "#text" => t.text.push_str(s),
            _ => {
                let mut t = Node::element("#text", Vec::new());
                t.text = s.to_string();
                top.children.push(t);
            }
        }
    };
    loop {
        match reader.read_event().expect("well-formed markup") {
            Event::Start(e) => stack.push(Node::element(e.name().as_ref(), attrs(&e))),
            Event::Empty(e) => {
                let n = Node::element(e.name().as_ref(), attrs(&e));
                stack.last_mut().unwrap().children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().expect("an open element").children.push(n);
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let s = shiryo::ingest::raw::entity_text(&r).expect("a known entity");
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    stack.pop().unwrap()
}

/// One printed item as the page shows it.
#[derive(Debug, PartialEq)]
struct Li {
    /// The item's text and its examples in ＜＞.
    line: String,
    /// The 新 mark, as text.
    new: bool,
}

/// The handout's table as read from the page.
#[derive(Debug)]
struct Table {
    /// The column headers, 分野 first.
    headers: Vec<String>,
    /// Each 分野 row: its name and the items of every `<td>`.
    rows: Vec<(String, Vec<Vec<Li>>)>,
}

fn table(page: &Node) -> Table {
    let tables = page.find_all("table");
    assert_eq!(tables.len(), 1, "one table");
    let t = tables[0];
    assert_eq!(
        t.children
            .iter()
            .find(|c| c.name != "#text")
            .map(|c| c.name.as_str()),
        Some("caption"),
        "the caption comes first"
    );
    let head = t.kid("thead").kid("tr");
    let headers = head
        .kids("th")
        .map(|th| {
            assert_eq!(th.attr("scope"), Some("col"));
            th.text()
        })
        .collect();
    let rows = t
        .kid("tbody")
        .kids("tr")
        .map(|tr| {
            let cells: Vec<&Node> = tr.children.iter().filter(|c| c.name != "#text").collect();
            let th = cells[0];
            assert_eq!(
                (th.name.as_str(), th.attr("scope")),
                ("th", Some("row")),
                "a 分野 row starts with its header"
            );
            let tds = cells[1..]
                .iter()
                .map(|td| {
                    assert_eq!(td.name, "td");
                    td.find_all("li")
                        .into_iter()
                        .map(|li| {
                            let new = li
                                .kids("strong")
                                .any(|s| s.attr("class") == Some("new") && s.text() == "新");
                            let line: String = li
                                .children
                                .iter()
                                .filter(|c| c.name != "strong")
                                .map(Node::text)
                                .collect();
                            Li {
                                line: line.trim_start().to_string(),
                                new,
                            }
                        })
                        .collect()
                })
                .collect();
            (th.text(), tds)
        })
        .collect();
    Table { headers, rows }
}

fn read_page(run: &Run) -> (String, Node) {
    let html = std::fs::read_to_string(run.out.join(HTML)).expect("資料.html is written");
    let tree = parse(&html);
    (html, tree)
}

/// Every item matrix.json prints (not hidden) is in its row and column,
/// in order, with its examples and its 新 mark; nothing else is.
fn assert_page_is_the_matrix(run: &Run) -> Table {
    let (_, page) = read_page(run);
    let j = run.json();
    let t = table(&page);
    let labels: Vec<&str> = j["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    let keys: Vec<&str> = j["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(t.headers[0], "分野");
    assert_eq!(t.headers[1..], labels[..], "the 区分 columns in order");

    let printed = |it: &&Value| it["hidden"] != true;
    let mut expected_rows = Vec::new();
    for f in j["fields"].as_array().unwrap() {
        let cells: Vec<Vec<Li>> = keys
            .iter()
            .map(|k| {
                f["cells"][*k]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(printed)
                    .map(|it| Li {
                        line: match it["examples"].as_str() {
                            Some(ex) => format!("{}＜{ex}＞", it["text"].as_str().unwrap()),
                            None => it["text"].as_str().unwrap().to_string(),
                        },
                        new: it["status"] == "新規",
                    })
                    .collect()
            })
            .collect();
        if cells.iter().any(|c| !c.is_empty()) {
            expected_rows.push((f["name"].as_str().unwrap().to_string(), cells));
        }
    }
    let names = |rows: &[(String, Vec<Vec<Li>>)]| -> Vec<String> {
        rows.iter().map(|(n, _)| n.clone()).collect()
    };
    assert_eq!(
        names(&t.rows),
        names(&expected_rows),
        "one row per 分野 that prints"
    );
    for ((name, cells), (_, want)) in t.rows.iter().zip(&expected_rows) {
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(cells[i], want[i], "the <td> of {name} × {key}");
        }
    }
    t
}

#[test]
fn the_sample_months_page_is_its_matrix_and_is_listed() {
    let run = common::build_at(&common::sample_input(), &[]);
    assert_eq!(run.code, 1, "the sample has one rejected row");
    let t = assert_page_is_the_matrix(&run);
    let items: usize = t.rows.iter().flat_map(|(_, c)| c).map(Vec::len).sum();
    assert_eq!(items, 119);
    let (html, page) = read_page(&run);
    assert_eq!(page.find_all("html")[0].attr("lang"), Some("ja"));
    let h1 = page.find_all("h1");
    assert_eq!(h1.len(), 1);
    assert_eq!(h1[0].text(), "各分野における現状と課題及び想定される解決策");
    assert_eq!(
        page.find_all("title")[0].text(),
        "各分野における現状と課題及び想定される解決策"
    );
    let paragraphs: Vec<String> = page.find_all("p").iter().map(|p| p.text()).collect();
    assert!(
        paragraphs.contains(&"令和8年11月".to_string()),
        "{paragraphs:?}"
    );
    assert!(paragraphs.contains(&"資料２".to_string()), "{paragraphs:?}");
    assert!(
        page.find_all("strong").is_empty(),
        "no 新 without --previous"
    );
    // Self-contained: no script, nothing to fetch.
    for needle in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert!(!html.contains('\r'), "LF line ends on every OS");
    assert!(html.contains("@page { size: A3 landscape;"));

    // The report and the manifest list it.
    assert!(run.report().contains("\n  資料.html\n"), "{}", run.report());
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("manifest.json")).unwrap())
            .unwrap();
    let entry = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["file"] == HTML)
        .expect("資料.html in the manifest");
    assert_eq!(entry["sha256"], shiryo::digest::sha256(html.as_bytes()));
}

/// A month's corrections sheet with 載せない (○) on the items of these texts.
fn hide(run: &Run, texts: &[&str]) -> Vec<u8> {
    let path = run.out.join("事務局修正.xlsx");
    let rows = common::read_sheet(&path, "事務局修正");
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("分野"))
        .expect("the header row");
    let hidden_col = rows[header]
        .iter()
        .position(|c| c == "載せない")
        .expect("the 載せない column");
    assert_eq!(hidden_col, 4, "column E");
    let cells: Vec<String> = rows
        .iter()
        .enumerate()
        .skip(header + 1)
        .filter(|(_, r)| texts.iter().any(|t| r.get(2).is_some_and(|c| c == t)))
        .map(|(i, _)| format!("E{}", i + 1))
        .collect();
    assert_eq!(cells.len(), texts.len(), "{rows:?}");
    let values: Vec<(&str, &str)> = cells.iter().map(|c| (c.as_str(), "○")).collect();
    common::fill(
        &std::fs::read(&path).unwrap(),
        "xl/worksheets/sheet1.xml",
        &values,
    )
}

fn month(rows: &[&[&str]]) -> Month {
    let mut all: Vec<&[&str]> = vec![&["分野", "区分", "内容", "他自治体の事例"]];
    all.extend_from_slice(rows);
    Month::new().sheet("総務課.xlsx", "回答", &all)
}

#[test]
fn new_items_carry_the_mark_as_text_and_hidden_items_are_left_out() {
    let last = month(&[
        &["DX推進", "課題", "PCの仕様が異なる。", ""],
        &[
            "DX推進",
            "解決案",
            "名刺管理システムの導入。",
            "徳島県、仙台市",
        ],
    ]);
    let before = last.build(&[]);
    assert_eq!(before.code, 0, "{}", before.stdout);

    let this = month(&[
        &["DX推進", "課題", "PCの仕様が異なる。", ""],
        &["DX推進", "課題", "これは載せない。", ""],
        &[
            "DX推進",
            "解決案",
            "名刺管理システムの導入。",
            "徳島県、仙台市",
        ],
        &[
            "DX推進",
            "解決案",
            "A&B <社内> \"掲示板\" の整理。",
            "北見市",
        ],
        &["働き方改革", "取組済み", "時差通勤を導入した。", ""],
        &["経営", "課題", "経営の行ごと載せない。", ""],
    ]);
    let previous = before.out.to_str().unwrap().to_string();
    let first = this.build(&["--previous", &previous]);
    assert_eq!(first.code, 0, "{}", first.stdout);
    // Given with --edits, from outside the input folder.
    let edits_dir = tempfile::tempdir().unwrap();
    let edits = edits_dir.path().join("事務局修正.xlsx");
    std::fs::write(
        &edits,
        hide(&first, &["これは載せない。", "経営の行ごと載せない。"]),
    )
    .unwrap();
    let edits_arg = edits.to_str().unwrap().to_string();
    let run = this.build(&["--previous", &previous, "--edits", &edits_arg]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let hidden = run
        .items()
        .iter()
        .filter(|i| i.text.contains("載せない"))
        .count();
    assert_eq!(hidden, 2, "matrix.json keeps the hidden items");

    let t = assert_page_is_the_matrix(&run);
    let names: Vec<&str> = t.rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["DX推進", "働き方改革"], "経営 prints nothing");
    let (html, page) = read_page(&run);
    assert!(!html.contains("載せない。"), "hidden items are left out");
    // New items say so in text; the legend explains the mark.
    let dx = &t.rows[0].1;
    assert_eq!(
        dx[2],
        [
            Li {
                line: "名刺管理システムの導入。＜徳島県、仙台市＞".into(),
                new: false
            },
            Li {
                line: "A&B <社内> \"掲示板\" の整理。＜北見市＞".into(),
                new: true
            },
        ]
    );
    assert_eq!(
        t.rows[1].1[3],
        [Li {
            line: "時差通勤を導入した。".into(),
            new: true
        }]
    );
    assert!(
        html.contains("A&amp;B &lt;社内&gt; &quot;掲示板&quot; の整理。"),
        "markup characters escaped"
    );
    let paragraphs: Vec<String> = page.find_all("p").iter().map(|p| p.text()).collect();
    assert!(
        paragraphs.contains(&"新＝前回の資料にない項目".to_string()),
        "{paragraphs:?}"
    );
    let caption = page.find_all("caption")[0].text();
    assert!(
        caption.ends_with("（2分野・4項目、うち「新」2項目）"),
        "{caption}"
    );
}
