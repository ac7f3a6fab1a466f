//! Maps Terraform azurerm and google resources onto yagura's normalized Azure and GCP resources.
