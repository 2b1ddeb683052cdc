laws check models/liew2025.yaml tests/models-bad/version-2.yaml
