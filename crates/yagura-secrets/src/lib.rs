//! Secret scanner: provider detectors, keyword prefilter, entropy, gitleaks rule files, git history.
