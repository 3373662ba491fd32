//! End-to-end on the tagged PDF (SPEC §8.1): the structure tree read back
//! by poppler (`pdfinfo -struct-text`), an independent reader, must hold
//! every item of matrix.json in the `LBody` of its own 分野 row and 区分
//! column, in order; the catalog and XMP must say PDF/UA-1 and PDF/A-2a.

use crate::common::{self, Month, Run, poppler, squash};

const PDF: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";

/// A node of poppler's structure dump.
#[derive(Debug, Default)]
struct Node {
    kind: String,
    attrs: Vec<String>,
    text: String,
    kids: Vec<Node>,
}

impl Node {
    /// All text below this node, white space removed.
    fn all_text(&self) -> String {
        squash(&(self.text.clone() + &self.kids.iter().map(Node::all_text).collect::<String>()))
    }

    fn kinds(&self) -> Vec<&str> {
        self.kids.iter().map(|k| k.kind.as_str()).collect()
    }

    fn only(&self, kind: &str) -> &Node {
        let found: Vec<&Node> = self.kids.iter().filter(|k| k.kind == kind).collect();
        assert_eq!(
            found.len(),
            1,
            "one {kind} under {}: {:?}",
            self.kind,
            self.kinds()
        );
        found[0]
    }
}

/// Parses `pdfinfo -struct-text`: two spaces of indent per level, element
/// lines (`TH:` / `LI (block)`), attribute lines (`/Scope /Row`) and text
/// lines in quotes.
fn parse(dump: &str) -> Node {
    fn insert<'a>(root: &'a mut Node, path: &[usize]) -> &'a mut Node {
        let mut n = root;
        for &i in path {
            n = &mut n.kids[i];
        }
        n
    }
    let mut root = Node {
        kind: "#root".into(),
        ..Node::default()
    };
    // (indent, path from the root) of the open elements.
    let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
    for line in dump.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if body.is_empty() {
            continue;
        }
        while stack.last().is_some_and(|(d, _)| *d >= indent) {
            stack.pop();
        }
        let path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
        let parent = insert(&mut root, &path);
        if let Some(text) = body.strip_prefix('"') {
            parent.text.push_str(text.strip_suffix('"').unwrap_or(text));
        } else if body.starts_with('/') {
            parent.attrs.push(body.to_string());
        } else {
            let kind = body
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .to_string();
            parent.kids.push(Node {
                kind,
                ..Node::default()
            });
            let mut p = path;
            p.push(parent.kids.len() - 1);
            stack.push((indent, p));
        }
    }
    root
}

fn structure(run: &Run) -> Option<Node> {
    poppler("pdfinfo", &["-struct-text"], &run.out.join(PDF)).map(|d| parse(&d))
}

/// Asserts the whole table against matrix.json: the header row, one TR per
/// printed 分野 with its TH, and in each TD exactly the printed items of
/// that cell, in order, each `LI` = `Lbl` (・) + `LBody` (新? text＜examples＞).
fn assert_table_matches_matrix(run: &Run, tree: &Node) {
    let json = run.json();
    let document = tree.only("Document");
    assert_eq!(document.kinds(), ["H1", "P", "Table"], "reading order");
    assert_eq!(
        document.only("H1").all_text(),
        squash(json["title"].as_str().unwrap())
    );
    let table = document.only("Table");
    assert_eq!(table.kinds(), ["THead", "TBody"]);
    let head = table.only("THead").only("TR");
    let columns = json["columns"].as_array().unwrap();
    let mut labels = vec!["分野".to_string()];
    labels.extend(columns.iter().map(|c| squash(c["label"].as_str().unwrap())));
    let got: Vec<String> = head.kids.iter().map(Node::all_text).collect();
    assert_eq!(got, labels, "header row");
    for th in &head.kids {
        assert_eq!(th.kind, "TH");
        assert_eq!(th.attrs, ["/Scope /Column"]);
    }

    let printed: Vec<&serde_json::Value> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["cells"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|v| v.as_array().unwrap())
                .any(|it| it.get("hidden").is_none())
        })
        .collect();
    let rows = &table.only("TBody").kids;
    assert_eq!(rows.len(), printed.len(), "one TR per printed 分野");
    for (tr, field) in rows.iter().zip(&printed) {
        let name = field["name"].as_str().unwrap();
        assert_eq!(tr.kind, "TR");
        let mut kinds = vec!["TH"];
        kinds.extend(std::iter::repeat_n("TD", columns.len()));
        assert_eq!(tr.kinds(), kinds, "row {name}");
        assert_eq!(tr.kids[0].all_text(), squash(name), "row header");
        assert_eq!(tr.kids[0].attrs, ["/Scope /Row"]);
        for (c, column) in columns.iter().enumerate() {
            let key = column["key"].as_str().unwrap();
            let want: Vec<String> = field["cells"][key]
                .as_array()
                .unwrap()
                .iter()
                .filter(|it| it.get("hidden").is_none())
                .map(|it| {
                    let mark = if it["status"] == "新規" { "新" } else { "" };
                    let ex = it["examples"]
                        .as_str()
                        .map(|e| format!("＜{e}＞"))
                        .unwrap_or_default();
                    squash(&format!("{mark}{}{ex}", it["text"].as_str().unwrap()))
                })
                .collect();
            let td = &tr.kids[c + 1];
            let got: Vec<String> = match td.kids.first() {
                None => Vec::new(),
                Some(list) => {
                    assert_eq!(list.kind, "L", "{name}/{key}");
                    list.kids
                        .iter()
                        .map(|li| {
                            assert_eq!(li.kind, "LI");
                            assert_eq!(li.kinds(), ["Lbl", "LBody"], "{name}/{key}");
                            assert_eq!(li.kids[0].all_text(), "・");
                            li.kids[1].all_text()
                        })
                        .collect()
                }
            };
            assert_eq!(got, want, "the items of {name} / {key}");
        }
    }
}

#[test]
fn the_sample_months_structure_tree_is_the_matrix() {
    let run = common::build_at(&common::sample_input(), &[]);
    assert_eq!(run.code, 1);
    let Some(tree) = structure(&run) else {
        return;
    };
    assert_table_matches_matrix(&run, &tree);
    let p = tree.only("Document").only("P").all_text();
    assert!(p.starts_with("令和") && p.ends_with("資料２"), "{p}");
}

/// 200 items in one 分野 and a few in another: the first runs over several
/// pages and must stay one TR, its repeated header row and （続き） labels
/// artifacts that the tree never reads.
#[test]
fn a_field_over_several_pages_is_one_row_and_page_furniture_is_not_read() {
    let texts: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "項目{i}：庁内の会議資料をペーパーレス化し、タブレット端末で閲覧できるようにする。"
            )
        })
        .collect();
    let mut rows: Vec<Vec<&str>> = vec![vec!["分野", "区分", "内容", "他自治体の事例"]];
    for (i, t) in texts.iter().enumerate() {
        rows.push(vec![
            "DX推進",
            "課題",
            t,
            if i % 7 == 0 { "宗像市" } else { "" },
        ]);
    }
    rows.push(vec!["財務", "取組済み", "補助金の情報を共有した。", ""]);
    let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let run = Month::new().sheet("総務課.xlsx", "提出", &refs).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let Some(info) = poppler("pdfinfo", &[], &run.out.join(PDF)) else {
        return;
    };
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 3, "{pages} pages");
    let tree = structure(&run).unwrap();
    assert_table_matches_matrix(&run, &tree);
    let all = tree.all_text();
    assert!(!all.contains("（続き）"), "（続き） is an artifact");
    assert!(
        !all.contains(&format!("-1/{pages}-")),
        "page numbers are artifacts"
    );
    assert_eq!(
        all.matches("既に取り組んでいる内容").count(),
        1,
        "header read once"
    );
}

#[test]
fn a_new_mark_is_read_with_its_item_and_the_legend_is_not() {
    let month = |rows: &[&[&str]]| {
        let mut all: Vec<&[&str]> = vec![&["分野", "区分", "内容"]];
        all.extend_from_slice(rows);
        Month::new().sheet("総務課.xlsx", "回答", &all)
    };
    let last = month(&[&["DX推進", "課題", "PCの仕様が異なる。"]]).build(&[]);
    let this = month(&[
        &["DX推進", "課題", "PCの仕様が異なる。"],
        &["DX推進", "課題", "名刺管理が紙で行われている。"],
    ]);
    let run = this.build(&["--previous", last.out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let Some(tree) = structure(&run) else {
        return;
    };
    assert_table_matches_matrix(&run, &tree);
    assert!(
        tree.all_text().contains("新名刺管理が紙で行われている。"),
        "the 新 mark is read with its item"
    );
    assert!(
        !tree.all_text().contains("前回の資料にない"),
        "the legend is an artifact"
    );
}

#[test]
fn catalog_and_xmp_say_pdf_ua_1_and_pdf_a_2a() {
    let run = common::build_at(&common::sample_input(), &["--date", "2026-11-24"]);
    let pdf = run.out.join(PDF);
    let Some(info) = poppler("pdfinfo", &[], &pdf) else {
        return;
    };
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
    let xmp = poppler("pdfinfo", &["-meta"], &pdf).unwrap();
    for needle in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<rdf:li xml:lang=\"x-default\">各分野における現状と課題及び想定される解決策</rdf:li>",
        "<xmp:CreateDate>2026-11-24T00:00:00+09:00</xmp:CreateDate>",
    ] {
        assert!(xmp.contains(needle), "XMP lacks {needle}:\n{xmp}");
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(
        catalog.get(b"Lang").unwrap().as_str().unwrap(),
        b"ja-JP".as_slice()
    );
    let flag = |dict: &[u8], key: &[u8]| {
        catalog
            .get(dict)
            .and_then(|d| d.as_dict())
            .and_then(|d| d.get(key))
            .and_then(|v| v.as_bool())
            .unwrap()
    };
    assert!(flag(b"MarkInfo", b"Marked"));
    assert!(flag(b"ViewerPreferences", b"DisplayDocTitle"));
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    let profile = doc
        .get_object(
            intent
                .get(b"DestOutputProfile")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    let icc = profile
        .decompressed_content()
        .unwrap_or(profile.content.clone());
    assert_eq!(&icc[16..20], b"RGB ");
}
