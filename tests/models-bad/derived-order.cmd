laws check derived-order.yaml
