//! A Falco-compatible runtime rule engine: rule files are parsed and compiled once,
//! then [`Engine`] evaluates [`yagura_event::Event`]s without parsing anything per event.
//!
//! ```text
//! load_rules_files_with(files, &LoadOptions)  -> RuleSet   (YAML, file:line:col errors)
//! compile(&RuleSet)                           -> Compiled  (macros/lists/exceptions expanded)
//! Engine::new(&Compiled, &EngineOptions)      -> Engine    (fields resolved, indexed by type)
//! engine.evaluate(&event, &mut hits)                       (indices of matching rules)
//! kernel_predicate(&CompiledRule)             -> KernelPredicate (for `response: kill`)
//! ```

pub mod condition;
pub mod engine;
pub mod fields;
pub mod kernel;
pub mod output;
pub mod rules;

pub use condition::{
    parse_condition, CmpOp, Expr, FieldRef, Operand, ParseError, Transformer, Value,
};
pub use engine::{Engine, EngineOptions, EngineSkip, Priority, RuleInfo, Scratch};
pub use kernel::{kernel_predicate, KernelConjunct, KernelPredicate, PathTest};
pub use output::render_output;
pub use rules::{
    compile, event_types, load_rules, load_rules_files, load_rules_files_with, Compiled,
    CompiledRule, InvalidItem, LoadError, LoadOptions, Response, RuleSet, SkipReason, SkippedRule,
};
