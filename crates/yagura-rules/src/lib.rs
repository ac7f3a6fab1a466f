//! Groundwork for a Falco-compatible runtime rule engine: rule files are parsed and
//! compiled once, so nothing is parsed per event.

pub mod condition;
pub mod output;
pub mod rules;

pub use condition::{
    parse_condition, CmpOp, Expr, FieldRef, Operand, ParseError, Transformer, Value,
};
pub use output::render_output;
pub use rules::{
    compile, event_types, load_rules, load_rules_files, Compiled, CompiledRule, LoadError, RuleSet,
    SkipReason, SkippedRule,
};
