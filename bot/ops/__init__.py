"""Operations: logging, metrics, health, rate limits. Platform-agnostic; adapters call in."""
