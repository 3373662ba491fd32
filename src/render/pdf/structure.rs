//! The structure tree of the tagged PDF (SPEC §8.1, PDF/UA-1 §7): built
//! from the table's shape and the roles of the marked content the drawing
//! emitted, in reading order:
//!
//! ```text
//! Document › H1 (title) › P (date, 資料番号) › Table
//!   Table › THead › TR › TH /Scope /Column (one per column)
//!         › TBody › TR (one per 分野, however many pages it runs over)
//!                   › TH /Scope /Row (the 分野) + TD (one per 区分)
//!                       › L › LI › Lbl (the bullet) + LBody (the item)
//! ```
//!
//! Every MCID of every page is referenced by exactly one element, and the
//! ParentTree maps it back (page `/StructParents` = page index).

use lopdf::{Object, ObjectId};

use std::io::{Read, Seek, SeekFrom, Write};

use super::error::{PdfError, WriteProblem};
use super::model::{ItemRef, Role, TableShape};

/// A child of a structure element: another element, or marked content on a
/// page (page index, MCID).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kid {
    Elem(usize),
    Content { page: usize, mcid: usize },
}

/// A TH's scope attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    Column,
    Row,
}

#[derive(Debug)]
struct Elem {
    s: &'static str,
    parent: Option<usize>,
    kids: Vec<Kid>,
    scope: Option<Scope>,
}

/// The tree as an arena, with the element each role's content belongs to.
#[derive(Debug, Default)]
struct Tree {
    elems: Vec<Elem>,
    title: usize,
    lead: usize,
    column_headers: Vec<usize>,
    row_headers: Vec<usize>,
    /// Per row, per column, per item: (Lbl, LBody).
    items: Vec<Vec<Vec<(usize, usize)>>>,
}

impl Tree {
    fn add(&mut self, s: &'static str, parent: Option<usize>) -> usize {
        let i = self.elems.len();
        self.elems.push(Elem {
            s,
            parent,
            kids: Vec::new(),
            scope: None,
        });
        if let Some(p) = parent {
            self.elems[p].kids.push(Kid::Elem(i));
        }
        i
    }

    /// The skeleton for a table of this shape, before any content.
    fn skeleton(shape: &TableShape) -> Tree {
        let mut t = Tree::default();
        let document = t.add("Document", None);
        t.title = t.add("H1", Some(document));
        t.lead = t.add("P", Some(document));
        let table = t.add("Table", Some(document));
        let head = t.add("THead", Some(table));
        let head_row = t.add("TR", Some(head));
        for _ in 0..=shape.columns {
            let th = t.add("TH", Some(head_row));
            t.elems[th].scope = Some(Scope::Column);
            t.column_headers.push(th);
        }
        let body = t.add("TBody", Some(table));
        for row in &shape.items {
            let tr = t.add("TR", Some(body));
            let th = t.add("TH", Some(tr));
            t.elems[th].scope = Some(Scope::Row);
            t.row_headers.push(th);
            let mut cells = Vec::with_capacity(shape.columns);
            for c in 0..shape.columns {
                let td = t.add("TD", Some(tr));
                let n = row.get(c).copied().unwrap_or(0);
                let mut items = Vec::with_capacity(n);
                if n > 0 {
                    let list = t.add("L", Some(td));
                    for _ in 0..n {
                        let li = t.add("LI", Some(list));
                        items.push((t.add("Lbl", Some(li)), t.add("LBody", Some(li))));
                    }
                }
                cells.push(items);
            }
            t.items.push(cells);
        }
        t
    }

    /// The element that owns content of this role.
    fn owner(&self, role: Role) -> Option<usize> {
        let item = |at: ItemRef| {
            self.items
                .get(at.row)
                .and_then(|r| r.get(at.col))
                .and_then(|c| c.get(at.item))
        };
        match role {
            Role::Artifact => None,
            Role::Title => Some(self.title),
            Role::Lead => Some(self.lead),
            Role::ColumnHeader(c) => self.column_headers.get(c).copied(),
            Role::RowHeader(r) => self.row_headers.get(r).copied(),
            Role::Bullet(at) => item(at).map(|(lbl, _)| *lbl),
            Role::Body(at) => item(at).map(|(_, body)| *body),
        }
    }
}

/// Where the structure tree went wrong: a role outside the table's shape
/// (a layout bug, never the input's fault).
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// Page index.
    pub page: usize,
    /// The role.
    pub role: Role,
}

/// Adds the structure tree for `marks` (per page, the role of each MCID)
/// to the document: the elements, the ParentTree, `/StructParents` on
/// every page and the catalog's `/StructTreeRoot`. Returns the root's id
/// and the elements, to be spliced into the saved file.
pub fn add_structure(
    doc: &mut lopdf::Document,
    shape: &TableShape,
    marks: &[Vec<Role>],
) -> Result<(ObjectId, Elements), Untagged> {
    let mut tree = Tree::skeleton(shape);
    // The owner of every MCID, per page, for the ParentTree.
    let mut owners: Vec<Vec<usize>> = Vec::with_capacity(marks.len());
    for (page, roles) in marks.iter().enumerate() {
        let mut on_page = Vec::with_capacity(roles.len());
        for (mcid, role) in roles.iter().enumerate() {
            let e = tree.owner(*role).ok_or(Untagged { page, role: *role })?;
            tree.elems[e].kids.push(Kid::Content { page, mcid });
            on_page.push(e);
        }
        owners.push(on_page);
    }

    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    // The root and the elements are numbered one after another and written
    // as bytes; the document holds a placeholder for each.
    let root_id = doc.new_object_id();
    let ids: Vec<ObjectId> = (0..tree.elems.len()).map(|_| doc.new_object_id()).collect();
    let mut elements = Elements {
        first: root_id.0,
        bytes: Vec::new(),
        spilled: None,
        starts: Vec::with_capacity(ids.len() + 1),
    };
    doc.objects.insert(root_id, Object::Null);
    elements.starts.push(0);
    let paged = &owners[..owners.len().min(pages.len())];
    write_root(&mut elements.bytes, root_id, &ids, paged, pages.len());
    for (i, e) in tree.elems.iter().enumerate() {
        doc.objects.insert(ids[i], Object::Null);
        elements.starts.push(elements.bytes.len());
        write_element(&mut elements.bytes, ids[i], e, &ids, root_id, &pages);
    }
    for (i, page) in pages.iter().enumerate() {
        if let Ok(Object::Dictionary(p)) = doc.get_object_mut(*page) {
            p.set("StructParents", Object::Integer(i as i64));
        }
    }
    Ok((root_id, elements))
}

/// The structure tree root, as lopdf writes it: its first element, and
/// the ParentTree (for page `i`, key `i` and the element owning each of
/// its MCIDs).
fn write_root(
    out: &mut Vec<u8>,
    id: ObjectId,
    ids: &[ObjectId],
    owners: &[Vec<usize>],
    next_key: usize,
) {
    let _ = write!(
        out,
        "{} {} obj\n<</Type/StructTreeRoot/K[{} {} R]/ParentTree<</Nums[",
        id.0, id.1, ids[0].0, ids[0].1
    );
    for (i, on_page) in owners.iter().enumerate() {
        // An integer after an array is set apart by a space; an array not.
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{i}[");
        for (k, e) in on_page.iter().enumerate() {
            let sep = if k == 0 { "" } else { " " };
            let _ = write!(out, "{sep}{} {} R", ids[*e].0, ids[*e].1);
        }
        out.push(b']');
    }
    let _ = write!(out, "]>>/ParentTreeNextKey {next_key}>>\nendobj\n");
}

/// One structure element as an indirect object, in the syntax lopdf writes
/// (`Type`, `S`, `P`, `Pg`, `A`, `K`, no space where none is needed).
fn write_element(
    out: &mut Vec<u8>,
    id: ObjectId,
    e: &Elem,
    ids: &[ObjectId],
    root: ObjectId,
    pages: &[ObjectId],
) {
    // The page of the element's first content, so that content on that
    // page is referenced by its bare MCID.
    let home = e.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } => Some(*page),
        Kid::Elem(_) => None,
    });
    let parent = e.parent.map_or(root, |p| ids[p]);
    // Writing into a Vec cannot fail.
    let _ = write!(
        out,
        "{} {} obj\n<</Type/StructElem/S/{}/P {} {} R",
        id.0, id.1, e.s, parent.0, parent.1
    );
    if let Some(page) = home.and_then(|p| pages.get(p)) {
        let _ = write!(out, "/Pg {} {} R", page.0, page.1);
    }
    if let Some(scope) = e.scope {
        let scope = match scope {
            Scope::Column => "Column",
            Scope::Row => "Row",
        };
        let _ = write!(out, "/A<</O/Table/Scope/{scope}>>");
    }
    out.extend_from_slice(b"/K[");
    let mut first = true;
    for kid in &e.kids {
        // Numbers and references are set apart by a space, dictionaries not.
        let sep = if first { "" } else { " " };
        match *kid {
            Kid::Elem(c) => {
                let _ = write!(out, "{sep}{} {} R", ids[c].0, ids[c].1);
            }
            Kid::Content { page, mcid } if Some(page) == home => {
                let _ = write!(out, "{sep}{mcid}");
            }
            Kid::Content { page, mcid } => match pages.get(page) {
                Some(pg) => {
                    let _ = write!(out, "<</Type/MCR/Pg {} {} R/MCID {mcid}>>", pg.0, pg.1);
                }
                None => continue,
            },
        }
        first = false;
    }
    out.extend_from_slice(b"]>>\nendobj\n");
}

/// The structure elements, written apart from the lopdf document: as its
/// dictionaries, the 300,000 elements of a 94,000-item month took 550 MB;
/// as bytes they take 30 MB. The document holds a `null` placeholder for
/// each, which [`Elements::splice_into`] replaces in the saved file.
#[derive(Debug, Default)]
pub struct Elements {
    /// Object number of the first element; the others follow it.
    first: u32,
    /// Every element as an indirect object, one after another.
    bytes: Vec<u8>,
    /// The bytes when [`Elements::spill`] moved them to a temporary file,
    /// and how many there are.
    spilled: Option<(std::fs::File, usize)>,
    /// Where each element starts in `bytes`.
    starts: Vec<usize>,
}

/// The elements' bytes, in memory or in a temporary file.
enum Body {
    Memory(Vec<u8>),
    File(std::fs::File),
}

impl Elements {
    /// Moves the bytes to a temporary file until they are written out: a
    /// large month's elements need not be held while lopdf saves.
    pub fn spill(&mut self) -> std::io::Result<()> {
        if self.spilled.is_some() {
            return Ok(());
        }
        let mut file = tempfile::tempfile()?;
        file.write_all(&self.bytes)?;
        self.spilled = Some((file, self.bytes.len()));
        self.bytes = Vec::new();
        Ok(())
    }

    fn byte_len(&self) -> usize {
        self.spilled.as_ref().map_or(self.bytes.len(), |(_, n)| *n)
    }

    /// Puts the elements into a file lopdf saved with their placeholders,
    /// and moves the cross-reference table's offsets to match: the bytes
    /// are those lopdf would have written with the elements in it. The
    /// saved file is read from `saved` and written out by
    /// [`Spliced::write_to`], never whole in memory: only its placeholders
    /// and its cross-reference table are read here, and checked.
    pub fn splice_into<R: Read + Seek>(self, mut saved: R) -> Result<Spliced<R>, PdfError> {
        let len = saved.seek(SeekFrom::End(0)).map_err(PdfError::Save)?;
        // Where the cross-reference table starts, from the file's end.
        let probe = len.min(1024);
        let last = read_at(&mut saved, len - probe, probe as usize)?;
        let start = Xref::start_of(&last)? as u64;
        if start > len {
            return Err(WriteProblem::NoXref.into());
        }
        let mut tail = read_at(&mut saved, start, (len - start) as usize)?;
        let xref = Xref::read_at(&tail, start as usize)?;
        if self.starts.is_empty() {
            return Ok(Spliced {
                saved,
                elements: Body::Memory(Vec::new()),
                begin: len,
                end: len,
                start: len,
                tail: Vec::new(),
            });
        }
        let last_id = self.first + self.starts.len() as u32 - 1;
        let begin = xref.offset(self.first)?;
        let placeholder = |id: u32| format!("{id} 0 obj\n null \nendobj\n");
        let end = xref.offset(last_id)? + placeholder(last_id).len();
        // The placeholders are one block, in object order.
        let block = read_at(&mut saved, begin as u64, end.saturating_sub(begin))?;
        let mut at = begin;
        for id in self.first..=last_id {
            let p = placeholder(id);
            if xref.offset(id)? != at || !block[at - begin..].starts_with(p.as_bytes()) {
                return Err(WriteProblem::ElementMissing(id).into());
            }
            at += p.len();
        }
        let delta = self.byte_len() as i64 - (end - begin) as i64;
        for (id, entry) in &xref.entries {
            let moved = if (self.first..=last_id).contains(id) {
                begin + self.starts[(*id - self.first) as usize]
            } else if entry.offset >= end {
                (entry.offset as i64 + delta) as usize
            } else {
                entry.offset
            };
            let at = entry.at - start as usize;
            tail[at..at + 10].copy_from_slice(format!("{moved:010}").as_bytes());
        }
        let cut = tail
            .windows(10)
            .rposition(|w| w == b"startxref\n")
            .ok_or(WriteProblem::NoStartXref)?;
        tail.truncate(cut);
        tail.extend_from_slice(format!("startxref\n{}\n%%EOF", start as i64 + delta).as_bytes());
        Ok(Spliced {
            saved,
            elements: match self.spilled {
                Some((file, _)) => Body::File(file),
                None => Body::Memory(self.bytes),
            },
            begin: begin as u64,
            end: end as u64,
            start,
            tail,
        })
    }
}

/// `n` bytes of `r` from `at`.
fn read_at<R: Read + Seek>(r: &mut R, at: u64, n: usize) -> Result<Vec<u8>, PdfError> {
    let mut buf = vec![0; n];
    r.seek(SeekFrom::Start(at))
        .and_then(|_| r.read_exact(&mut buf))
        .map_err(PdfError::Save)?;
    Ok(buf)
}

/// A saved file and what goes into it: its bytes up to the placeholders,
/// the elements, its bytes up to the cross-reference table, and the table
/// with the offsets moved.
pub struct Spliced<R> {
    saved: R,
    elements: Body,
    begin: u64,
    end: u64,
    start: u64,
    tail: Vec<u8>,
}

impl<R: Read + Seek> Spliced<R> {
    /// Writes the finished file.
    pub fn write_to(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        self.saved.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut (&mut self.saved).take(self.begin), out)?;
        match &mut self.elements {
            Body::Memory(bytes) => out.write_all(bytes)?,
            Body::File(file) => {
                file.seek(SeekFrom::Start(0))?;
                std::io::copy(file, out)?;
            }
        }
        self.saved.seek(SeekFrom::Start(self.end))?;
        std::io::copy(&mut (&mut self.saved).take(self.start - self.end), out)?;
        out.write_all(&self.tail)
    }
}

/// An in-use entry of a saved file's cross-reference table.
struct XrefEntry {
    /// Where the object starts.
    offset: usize,
    /// Where the entry's ten-digit offset is in the file.
    at: usize,
}

/// The cross-reference table lopdf writes (`xref`, subsections of 20-byte
/// entries).
struct Xref {
    entries: std::collections::BTreeMap<u32, XrefEntry>,
}

impl Xref {
    /// Where the table starts: the number after the last `startxref`.
    fn start_of(bytes: &[u8]) -> Result<usize, WriteProblem> {
        let mark = bytes
            .windows(10)
            .rposition(|w| w == b"startxref\n")
            .ok_or(WriteProblem::NoStartXref)?;
        std::str::from_utf8(&bytes[mark + 10..])
            .ok()
            .and_then(|t| t.lines().next())
            .and_then(|l| l.trim().parse().ok())
            .ok_or(WriteProblem::BadStartXref)
    }

    /// The table in `tail`, the file's bytes from `base` (where the table
    /// starts) to its end; offsets and places are the file's.
    fn read_at(tail: &[u8], base: usize) -> Result<Xref, WriteProblem> {
        let text = |r: std::ops::Range<usize>| std::str::from_utf8(tail.get(r)?).ok();
        let start = Xref::start_of(tail)?;
        if start != base || !tail.starts_with(b"xref\n") {
            return Err(WriteProblem::NoXref);
        }
        let mut entries = std::collections::BTreeMap::new();
        let mut pos = 5;
        while !tail.get(pos..).unwrap_or_default().starts_with(b"trailer") {
            let eol = tail
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .position(|&b| b == b'\n')
                .ok_or(WriteProblem::BadXrefHead)?;
            let head = text(pos..pos + eol).ok_or(WriteProblem::BadXrefHead)?;
            let (first, count) = head
                .split_once(' ')
                .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
                .ok_or(WriteProblem::BadXrefHead)?;
            pos += eol + 1;
            for i in 0..count {
                let line = text(pos..pos + 20).ok_or(WriteProblem::BadXrefLine)?;
                if line.as_bytes()[17] == b'n' {
                    let offset = line[..10].parse().map_err(|_| WriteProblem::BadXrefLine)?;
                    entries.insert(
                        first + i,
                        XrefEntry {
                            offset,
                            at: base + pos,
                        },
                    );
                }
                pos += 20;
            }
        }
        Ok(Xref { entries })
    }

    fn offset(&self, id: u32) -> Result<usize, WriteProblem> {
        self.entries
            .get(&id)
            .map(|e| e.offset)
            .ok_or(WriteProblem::NotInXref(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Dictionary;

    fn at(row: usize, col: usize, item: usize) -> ItemRef {
        ItemRef { row, col, item }
    }

    #[test]
    fn an_item_split_over_two_pages_stays_one_list_item() {
        let shape = TableShape {
            columns: 2,
            items: vec![vec![0, 1]],
        };
        let mut t = Tree::skeleton(&shape);
        let body = t.owner(Role::Body(at(0, 1, 0))).unwrap();
        assert_eq!(t.elems[body].s, "LBody");
        let li = t.elems[body].parent.unwrap();
        assert_eq!(t.elems[li].s, "LI");
        let td = t.elems[t.elems[li].parent.unwrap()].parent.unwrap();
        assert_eq!(t.elems[td].s, "TD");
        // The empty cell is a TD without a list.
        let tr = t.elems[td].parent.unwrap();
        let kinds: Vec<&str> = t.elems[tr]
            .kids
            .iter()
            .map(|k| match k {
                Kid::Elem(e) => t.elems[*e].s,
                Kid::Content { .. } => "content",
            })
            .collect();
        assert_eq!(kinds, ["TH", "TD", "TD"]);
        t.elems[body].kids.push(Kid::Content { page: 0, mcid: 3 });
        t.elems[body].kids.push(Kid::Content { page: 1, mcid: 0 });
        assert_eq!(t.owner(Role::Body(at(0, 1, 0))), Some(body));
        assert_eq!(t.owner(Role::Body(at(0, 0, 0))), None);
        assert_eq!(t.owner(Role::Artifact), None);
    }

    #[test]
    fn every_mcid_is_in_the_parent_tree_and_pages_know_their_key() {
        let mut doc = lopdf::Document::with_version("1.7");
        // As printpdf makes it: a cross-reference table.
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let pages_id = doc.new_object_id();
        let kids: Vec<Object> = (0..2)
            .map(|_| {
                let mut p = Dictionary::new();
                p.set("Type", Object::Name(b"Page".to_vec()));
                p.set("Parent", Object::Reference(pages_id));
                Object::Reference(doc.add_object(p))
            })
            .collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(2));
        pages.set("Kids", Object::Array(kids));
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let cat = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(cat));

        let shape = TableShape {
            columns: 1,
            items: vec![vec![1]],
        };
        let marks = vec![
            vec![
                Role::ColumnHeader(0),
                Role::ColumnHeader(1),
                Role::RowHeader(0),
                Role::Bullet(at(0, 0, 0)),
                Role::Body(at(0, 0, 0)),
                Role::Title,
                Role::Lead,
            ],
            vec![Role::Body(at(0, 0, 0))],
        ];
        let (root, elements) = add_structure(&mut doc, &shape, &marks).unwrap();
        let mut saved = Vec::new();
        doc.save_to(&mut saved).unwrap();
        let mut bytes = Vec::new();
        elements
            .splice_into(std::io::Cursor::new(saved))
            .unwrap()
            .write_to(&mut bytes)
            .unwrap();
        // What lopdf reads back it saves byte for byte as spliced: the
        // elements are in its syntax and the offsets are right.
        let mut doc = lopdf::Document::load_mem(&bytes).unwrap();
        let mut again = Vec::new();
        doc.save_to(&mut again).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&again),
            String::from_utf8_lossy(&bytes)
        );
        let root = doc.get_dictionary(root).unwrap();
        let nums = root
            .get(b"ParentTree")
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"Nums")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(nums.len(), 4);
        assert_eq!(nums[1].as_array().unwrap().len(), 7);
        let second = nums[3].as_array().unwrap();
        assert_eq!(second.len(), 1);
        // The body's second piece, on page 2, is an MCR with its page.
        let body = doc
            .get_dictionary(second[0].as_reference().unwrap())
            .unwrap();
        assert_eq!(body.get(b"S").unwrap().as_name().unwrap(), b"LBody");
        let k = body.get(b"K").unwrap().as_array().unwrap();
        assert_eq!(k[0], Object::Integer(4));
        assert_eq!(
            k[1].as_dict().unwrap().get(b"MCID").unwrap(),
            &Object::Integer(0)
        );
        for (i, page) in doc.get_pages().values().enumerate() {
            let p = doc.get_dictionary(*page).unwrap();
            assert_eq!(p.get(b"StructParents").unwrap(), &Object::Integer(i as i64));
        }
        // A role outside the shape is a layout bug, reported, not tagged.
        let bad = vec![vec![Role::Body(at(3, 0, 0))]];
        assert!(add_structure(&mut doc, &shape, &bad).is_err());
    }
}
