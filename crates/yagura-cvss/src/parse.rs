//! Shared `METRIC:VALUE/...` field parsing with strict validation.

use crate::{Error, Version};

/// One metric a version defines: its abbreviation, allowed values, and whether base scoring
/// cannot proceed without it.
pub(crate) struct MetricSpec {
    pub name: &'static str,
    pub values: &'static [&'static str],
    pub mandatory: bool,
}

/// Parsed values, indexed like the spec table they were parsed with.
pub(crate) struct Parsed<'a> {
    values: Vec<Option<&'a str>>,
}

impl<'a> Parsed<'a> {
    /// Value given for the metric at `index`, if present.
    pub fn get(&self, index: usize) -> Option<&'a str> {
        self.values.get(index).copied().flatten()
    }
}

/// Keeps error messages bounded when fed huge garbage.
pub(crate) fn clip(text: &str) -> String {
    const LIMIT: usize = 64;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(LIMIT).collect();
        clipped.push('…');
        clipped
    }
}

pub(crate) fn parse_fields<'a>(
    body: &'a str,
    version: Version,
    specs: &[MetricSpec],
) -> Result<Parsed<'a>, Error> {
    let mut values: Vec<Option<&'a str>> = vec![None; specs.len()];
    if !body.is_empty() {
        for field in body.split('/') {
            let Some((metric, value)) = field.split_once(':') else {
                return Err(Error::MalformedField { field: clip(field) });
            };
            if metric.is_empty() || value.contains(':') {
                return Err(Error::MalformedField { field: clip(field) });
            }
            let Some(index) = specs.iter().position(|spec| spec.name == metric) else {
                return Err(Error::UnknownMetric {
                    version,
                    metric: clip(metric),
                });
            };
            let (Some(spec), Some(slot)) = (specs.get(index), values.get_mut(index)) else {
                return Err(Error::UnknownMetric {
                    version,
                    metric: clip(metric),
                });
            };
            if slot.is_some() {
                return Err(Error::DuplicateMetric {
                    version,
                    metric: clip(metric),
                });
            }
            if !spec.values.contains(&value) {
                return Err(Error::InvalidValue {
                    version,
                    metric: spec.name.to_string(),
                    value: clip(value),
                });
            }
            *slot = Some(value);
        }
    }
    for (spec, value) in specs.iter().zip(&values) {
        if spec.mandatory && value.is_none() {
            return Err(Error::MissingMetric {
                version,
                metric: spec.name,
            });
        }
    }
    Ok(Parsed { values })
}

/// A metric every vector of the version must carry.
pub(crate) const fn base(name: &'static str, values: &'static [&'static str]) -> MetricSpec {
    MetricSpec {
        name,
        values,
        mandatory: true,
    }
}

/// A metric a vector may leave out (temporal, environmental, supplemental).
pub(crate) const fn optional(name: &'static str, values: &'static [&'static str]) -> MetricSpec {
    MetricSpec {
        name,
        values,
        mandatory: false,
    }
}
