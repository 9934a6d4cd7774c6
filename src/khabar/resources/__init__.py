"""Data files: word lists, variants, gazetteers. Each file says where it came from."""
