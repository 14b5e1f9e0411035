"""The ObjectStore port and its implementations: local folder with signed links, S3/R2."""
