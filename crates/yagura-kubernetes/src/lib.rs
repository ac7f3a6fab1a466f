//! Kubernetes manifests (YAML/JSON, List kinds, Helm output) into normalized k8s resources.
