laws check role-path.yaml
