//! IaC scan orchestration: file discovery, format dispatch, inline suppressions.
