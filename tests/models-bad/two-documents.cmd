laws check two-documents.yaml
