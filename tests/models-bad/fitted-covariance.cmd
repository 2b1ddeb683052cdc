laws check fitted-covariance.yaml
