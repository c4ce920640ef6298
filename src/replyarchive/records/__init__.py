"""Records: the reply model, its JSON Schema and validation, the YAML writer, the readers'
labels of its codes, and the search for letters saved twice."""
