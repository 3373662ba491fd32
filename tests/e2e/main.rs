//! End-to-end tests: the real binary on real workbooks, one test binary
//! (one link, one copy of the helpers), one module per concern.

// The helpers are `pub` for the modules of this binary, nothing else.
#![allow(unreachable_pub)]

mod common;
mod synth;

mod build;
mod cli;
mod edits;
mod form;
mod golden;
mod history;
mod hostile;
mod html;
mod mutation;
mod pdf;
mod pdf_minutes;
mod real_world;
mod roster;
mod row_heights;
mod same_bytes;
mod sample_month;
mod similar;
mod similar_eval;
mod tagged_pdf;
mod template;
