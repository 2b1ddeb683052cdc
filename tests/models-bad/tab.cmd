laws check tab.yaml
