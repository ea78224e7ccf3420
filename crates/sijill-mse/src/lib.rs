//! Multiple systems estimation (capture–recapture): log-linear models, model search, Bayesian model averaging, latent classes. Pure: no IO.
