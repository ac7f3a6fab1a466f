//! Maps Terraform AWS provider resources onto yagura's normalized AWS resources.
