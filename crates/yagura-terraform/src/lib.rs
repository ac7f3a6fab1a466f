//! Terraform HCL and plan JSON: parse, evaluate (variables, locals, modules, count/for_each) into raw resources.
