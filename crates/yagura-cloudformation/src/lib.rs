//! CloudFormation templates: parse, resolve intrinsics, map AWS resources onto normalized resources.
