//! Gemfile.lock: the `specs:` list of each GEM section.

use crate::{line_no, Collector};

pub(crate) fn gemfile_lock(out: &mut Collector, text: &str) {
    let mut in_gem = false;
    let mut in_specs = false;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        if !raw.starts_with(' ') {
            // PATH and GIT sections are local or git code, not rubygems.org releases.
            in_gem = raw.trim_end() == "GEM";
            in_specs = false;
            continue;
        }
        if !in_gem {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if indent == 2 {
            in_specs = raw.trim() == "specs:";
            continue;
        }
        // Four spaces: a resolved gem; six: one of its dependencies.
        if !in_specs || indent != 4 {
            continue;
        }
        let spec = raw.trim();
        let parsed = spec
            .split_once(" (")
            .and_then(|(n, rest)| Some((n, rest.strip_suffix(')')?)));
        let Some((name, version)) = parsed else {
            out.issue(line_no(i), format!("unreadable gem spec {spec:?}"));
            continue;
        };
        // `nokogiri (1.15.4-x86_64-linux)`: the platform is not part of the version.
        let version = version.split('-').next().unwrap_or(version);
        out.add("RubyGems", name, version, line_no(i), false);
    }
}
