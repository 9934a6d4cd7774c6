def canonicalize(entities, text):
    return list(entities)
