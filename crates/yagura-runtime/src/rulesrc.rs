//! Finding and loading rule files: yagura's default ruleset plus the user's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yagura_rules::{Compiled, Engine, EngineOptions, InvalidItem, LoadOptions, Response};

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Rules(String),
    #[error("{0}")]
    Sensor(#[from] yagura_sensor::SensorError),
    #[error("{0}")]
    Output(#[from] crate::outputs::OutputError),
    #[error("{0}")]
    Recording(#[from] yagura_event::recording::RecordingError),
    #[error("--response {0:?}: expected RULE=kill|kill-process|log")]
    ResponseSpec(String),
}

#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Rule files, or folders whose `*.yaml`/`*.yml` files load in name order.
    pub paths: Vec<PathBuf>,
    /// Load yagura's default ruleset first.
    pub default_rules: bool,
    /// Load what parses and list the rest (`--skip-invalid-rules`).
    pub skip_invalid: bool,
    pub engine: EngineOptions,
    /// `RULE=ACTION` overrides of rules' `response`.
    pub responses: Vec<String>,
}

pub struct LoadedRules {
    pub engine: Engine,
    pub compiled: Compiled,
    /// Items whose condition did not parse (only with skip_invalid).
    pub invalid: Vec<InvalidItem>,
    /// Effective response per engine rule index.
    pub responses: Vec<Response>,
    pub files: Vec<String>,
}

impl LoadedRules {
    /// Rules left out, with why: compile skips (unknown macro, unsupported
    /// source...), then engine skips (unknown field, unsupported event type).
    pub fn skipped(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .compiled
            .skipped
            .iter()
            .map(|s| (s.name.clone(), s.reason.to_string()))
            .collect();
        out.extend(
            self.engine
                .skipped()
                .iter()
                .map(|s| (s.rule.clone(), s.reason.clone())),
        );
        out
    }
}

fn rule_files(p: &Path) -> Result<Vec<PathBuf>, RuntimeError> {
    let io = |source| RuntimeError::Io {
        path: p.display().to_string(),
        source,
    };
    if p.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        Ok(files)
    } else {
        std::fs::metadata(p).map_err(io)?;
        Ok(vec![p.to_path_buf()])
    }
}

pub fn load(src: &RuleSources) -> Result<LoadedRules, RuntimeError> {
    let mut texts: Vec<(String, String)> = Vec::new();
    if src.default_rules {
        texts.push((
            yagura_ruleset::DEFAULT_RULES.to_string(),
            yagura_ruleset::DEFAULT_RULES_FILE.to_string(),
        ));
    }
    for p in &src.paths {
        for f in rule_files(p)? {
            let text = std::fs::read_to_string(&f).map_err(|source| RuntimeError::Io {
                path: f.display().to_string(),
                source,
            })?;
            texts.push((text, f.display().to_string()));
        }
    }
    if texts.is_empty() {
        return Err(RuntimeError::Rules(
            "no rules: give --rules FILE|DIR or keep the default ruleset".into(),
        ));
    }
    let opts = LoadOptions {
        skip_invalid: src.skip_invalid,
    };
    let set = yagura_rules::load_rules_files_with(
        texts.iter().map(|(t, f)| (t.as_str(), f.as_str())),
        &opts,
    )
    .map_err(|e| RuntimeError::Rules(e.to_string()))?;
    let compiled = yagura_rules::compile(&set);
    let engine = Engine::new(&compiled, &src.engine);
    let mut overrides: HashMap<String, Response> = HashMap::new();
    for spec in &src.responses {
        let (rule, action) = spec
            .rsplit_once('=')
            .ok_or_else(|| RuntimeError::ResponseSpec(spec.clone()))?;
        let r = Response::parse(action.trim())
            .ok_or_else(|| RuntimeError::ResponseSpec(spec.clone()))?;
        overrides.insert(rule.trim().to_string(), r);
    }
    let responses = (0..engine.len())
        .map(|i| {
            let info = engine.rule(i);
            overrides.get(&info.name).copied().unwrap_or(info.response)
        })
        .collect();
    for name in overrides.keys() {
        if !(0..engine.len()).any(|i| &engine.rule(i).name == name) {
            return Err(RuntimeError::Rules(format!(
                "--response names rule {name:?}, which is not loaded"
            )));
        }
    }
    Ok(LoadedRules {
        engine,
        compiled,
        invalid: set.invalid.clone(),
        responses,
        files: texts.into_iter().map(|(_, f)| f).collect(),
    })
}
