//! Prints the paragraphs shiryo reads from PDFs, with the page layout undone
//! (`cargo run --example pdf_paragraphs -- FILE.pdf…`; `F` marks page
//! furniture): for looking into a real PDF that gives the wrong items.
fn main() {
    for arg in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        match shiryo::ingest::pdf::paragraphs(std::path::Path::new(&arg)) {
            Ok(ps) => {
                for p in ps {
                    println!(
                        "{}{}\t{}",
                        if p.furniture { "F " } else { "" },
                        p.place,
                        p.text.replace('\n', "⏎")
                    );
                }
            }
            Err(e) => println!("ERR {e}"),
        }
        eprintln!("{arg}: {:?}", t.elapsed());
    }
}
