"""The bundled demo corpus: fictional Arabic articles written for khabar (see README.md here)."""
