"""The answer core: pure Python, no network, no platform imports."""
