"""SDG monitoring: localised Sustainable Development Goal indicators, computed live from the
registries' published records or entered yearly through review, with a public dashboard."""
