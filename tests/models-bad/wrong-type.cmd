laws check wrong-type.yaml
