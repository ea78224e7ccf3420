//! Latent-class model.
