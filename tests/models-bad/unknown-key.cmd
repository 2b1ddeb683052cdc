laws check unknown-key.yaml
