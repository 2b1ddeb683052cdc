laws check unknown-role.yaml
