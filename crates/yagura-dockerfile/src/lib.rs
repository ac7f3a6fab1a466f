//! Dockerfile parser producing normalized dockerfile resources.
