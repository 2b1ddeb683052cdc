laws check quoted-number.yaml
